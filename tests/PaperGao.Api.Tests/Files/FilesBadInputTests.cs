using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Files;
using static PaperGao.Api.Tests.Files.FileTestContent;

namespace PaperGao.Api.Tests.Files;

/// <summary>security.md items 24-28 on both storage backends: every bad upload is a clean 4xx and leaves nothing behind.</summary>
public sealed class FilesBadInputTests(PostgresCluster postgres)
{
    private static JsonArray Fields() =>
    [
        new JsonObject { ["name"] = "title", ["type"] = "text" },
        new JsonObject { ["name"] = "images", ["type"] = "file", ["maxSelect"] = 2, ["maxSize"] = 4096, ["mimeTypes"] = new JsonArray("image/png", "image/jpeg") },
        new JsonObject { ["name"] = "any", ["type"] = "file", ["maxSelect"] = 9, ["maxSize"] = 100_000 },
        new JsonObject { ["name"] = "internal", ["type"] = "file", ["maxSelect"] = 1, ["hidden"] = true },
    ];

    [Theory]
    [StorageMatrix]
    public async Task Bad_uploads_are_refused_and_store_nothing(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        await t.CreateCollectionAsync("bad", Fields(), ct);
        const string url = "/api/collections/bad/records";

        // too large for the field: 400 with the field's error
        var (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("images", "big.png", [.. Png(8, 8), .. new byte[5000]])), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_file_size_limit", body["data"]!["images"]!["code"]!.GetValue<string>());

        // a body larger than the limit (32 MiB, or every file field at its maxSize × maxSelect when more): 413 before it is read
        (status, _) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("any", "huge.bin", new byte[33 << 20])), ct);
        Assert.Equal(413, status);

        // a disallowed type, and an executable renamed .png, on an image-only field
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("images", "a.txt", "text"u8.ToArray())), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_mime_type", body["data"]!["images"]!["code"]!.GetValue<string>());
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("images", "photo.png", Exe())), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_mime_type", body["data"]!["images"]!["code"]!.GetValue<string>());

        // more files than maxSelect
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("images", "1.png", Png(2, 2)), ("images", "2.png", Png(2, 2)), ("images", "3.png", Png(2, 2))), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_too_many_files", body["data"]!["images"]!["code"]!.GetValue<string>());

        // an empty file, a file on a field that is not a file field, an existing-name claim that is not the record's
        (status, _) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("any", "empty.txt", [])), ct);
        Assert.Equal(400, status);
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("title", "t.txt", "x"u8.ToArray())), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_file", body["data"]!["title"]!["code"]!.GetValue<string>());
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, Form(("internal", "x.txt", "x"u8.ToArray())), ct);
        Assert.Equal(400, status); // a hidden field takes uploads from superusers only
        Assert.Equal("validation_invalid_file", body["data"]!["internal"]!["code"]!.GetValue<string>());
        (status, body) = await SendAsync(t.Guest, HttpMethod.Post, url, new FormUrlEncodedContent([new("any", "../../etc/passwd")]), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_file", body["data"]!["any"]!["code"]!.GetValue<string>());

        Assert.Empty(await t.KeysAsync(ct));
    }

    [Theory]
    [StorageMatrix]
    public async Task Path_traversal_names_never_leave_the_record_folder(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var cid = await t.CreateCollectionAsync("bad", Fields(), ct);
        string[] names = ["../../etc/passwd", "..%2f..%2fescape.txt", "/etc/shadow", "C:\\Windows\\evil.txt", "a\u0000b.txt", "..\u2215..\u2215x.txt", new string('n', 5000) + ".txt", "....", "a.png.html"];
        var parts = names.Select(n => ("any", (string?)n, "data"u8.ToArray())).ToArray();
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/bad/records", Form(parts), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var stored = Names(rec["any"]);
        Assert.Equal(names.Length, stored.Count);
        foreach (var n in stored)
        {
            Assert.True(FileKeys.IsValidSegment(n), n);
            Assert.True(n.Length <= 100 + 1 + 10 + 21, n);
        }
        Assert.EndsWith(".html", stored[^1]);
        Assert.StartsWith("a_png_", stored[^1]);
        var keys = await t.KeysAsync(ct);
        Assert.Equal(names.Length, keys.Count);
        Assert.All(keys, k => Assert.StartsWith($"{cid}/{id}/", k));
        if (storage == StorageKind.Local)
        {
            // nothing was created next to the storage folder or in the data dir (the request log database
            // "logs.db", written in the background, may or may not exist yet on SQLite)
            var projectDir = Path.Combine(t.App.Settings.Dir, "projects", "main");
            Assert.Equal(db == DatabaseKind.Sqlite ? ["data.db", "storage"] : ["storage"], Directory.EnumerateFileSystemEntries(projectDir).Select(Path.GetFileName)
                .Where(n => !n!.StartsWith("data.db-", StringComparison.Ordinal) && !n.StartsWith("logs.db", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        // download, thumb and delete through traversal-shaped URLs: 404, never a file from elsewhere
        foreach (var path in new[] { $"/api/files/bad/{id}/..%2f..%2fdata.db", $"/api/files/bad/{id}/%2e%2e", $"/api/files/bad/..%2f{id}/{stored[0]}", $"/api/files/{cid}/{id}/..\\data.db" })
        {
            using var r = await t.Guest.GetAsync(path, ct);
            Assert.True((int)r.StatusCode is 404 or 400, path + " → " + (int)r.StatusCode);
        }
    }

    [Theory]
    [StorageMatrix]
    public async Task Bad_downloads_ranges_and_thumbs_are_bounded(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        JsonArray fields = [new JsonObject { ["name"] = "pics", ["type"] = "file", ["maxSelect"] = 3, ["thumbs"] = new JsonArray("10x10") }];
        var cid = await t.CreateCollectionAsync("pics", fields, ct);
        var bomb = PngBomb();
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/pics/records", Form(("pics", "bomb.png", bomb), ("pics", "ok.png", Png(30, 20))), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var (bombName, okName) = (Names(rec["pics"])[0], Names(rec["pics"])[1]);
        (status, var other) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/pics/records", Form(("pics", "other.png", Png(4, 4))), ct);
        Assert.Equal(200, status);

        // a decompression bomb gets no thumbnail (the original is served) and the server keeps working
        using (var r = await t.Guest.GetAsync($"/api/files/pics/{id}/{bombName}?thumb=100x100", ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal(bomb, await r.Content.ReadAsByteArrayAsync(ct));
        }
        Assert.DoesNotContain(await t.KeysAsync(ct), k => k.Contains("thumbs_" + bombName, StringComparison.Ordinal));

        // thumb sizes: huge, negative, non-numeric, unlisted → the original, no thumbnail stored
        foreach (var thumb in new[] { "99999x99999", "-1x10", "axb", "20x20", "0x0", "10x10x" })
        {
            using var r = await t.Guest.GetAsync($"/api/files/pics/{id}/{okName}?thumb={thumb}", ct);
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal((30, 20), SizeOf(await r.Content.ReadAsByteArrayAsync(ct)));
        }
        Assert.Equal(3, (await t.KeysAsync(ct)).Count(k => !k.Contains("/thumbs_", StringComparison.Ordinal)));
        Assert.DoesNotContain(await t.KeysAsync(ct), k => k.Contains("/thumbs_", StringComparison.Ordinal));

        // a file of another record, an unknown name, an unknown record or collection: 404
        var otherName = Names(other["pics"])[0];
        foreach (var path in new[] { $"/api/files/pics/{id}/{otherName}", $"/api/files/pics/{id}/nope.png", $"/api/files/pics/aaaaaaaaaaaaaaa/{okName}", $"/api/files/nope/{id}/{okName}", $"/api/files/{cid}/{id}/{okName}x" })
        {
            using var r = await t.Guest.GetAsync(path, ct);
            Assert.Equal(404, (int)r.StatusCode);
            Assert.Equal(404, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
        }

        // ranges: unsatisfiable → 416, malformed / several / reversed → the whole file
        var size = (await t.Storage.StatAsync($"{cid}/{id}/{okName}", ct))!.Length;
        foreach (var (range, expected) in new[] { ($"bytes={size}-", 416), ("bytes=-0", 416), ("bytes=99999999999999999999-", 200), ("bytes=99999999999-", 416), ("bytes=0-1,2-3", 200), ("bytes=5-2", 200), ("items=0-1", 200), ("bytes=abc", 200) })
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/files/pics/{id}/{okName}");
            req.Headers.TryAddWithoutValidation("Range", range);
            using var r = await t.Guest.SendAsync(req, ct);
            Assert.True(expected == (int)r.StatusCode, range + " → " + (int)r.StatusCode);
            if (expected == 416) Assert.Equal($"bytes */{size}", r.Content.Headers.GetValues("Content-Range").Single());
            else Assert.Equal(size, (await r.Content.ReadAsByteArrayAsync(ct)).Length);
        }
    }
}
