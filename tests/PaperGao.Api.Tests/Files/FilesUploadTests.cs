using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Files.FileTestContent;

namespace PaperGao.Api.Tests.Files;

/// <summary>Uploads through create, update, delete and batch: names, modifiers, and what is (not) in the storage.</summary>
public sealed class FilesUploadTests(PostgresCluster postgres)
{
    private static JsonArray DocsFields(int maxSelect = 5) =>
    [
        new JsonObject { ["name"] = "title", ["type"] = "text" },
        new JsonObject { ["name"] = "docs", ["type"] = "file", ["maxSelect"] = maxSelect, ["maxSize"] = 1 << 20 },
        new JsonObject { ["name"] = "cover", ["type"] = "file", ["maxSelect"] = 1 },
    ];

    [Theory]
    [StorageMatrix]
    public async Task Create_update_and_delete_keep_storage_in_step_with_the_record(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var cid = await t.CreateCollectionAsync("notes", DocsFields(), ct);
        var png = Png(20, 10);
        using var form = Form(("docs", "Report 1.PNG", png), ("docs", "notes.txt", "hello"u8.ToArray()), ("cover", "c.png", png), Field("title", "first"));
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/notes/records", form, ct);
        Assert.True(status == 200, rec.ToJsonString());
        var docs = Names(rec["docs"]);
        Assert.Equal(2, docs.Count);
        Assert.Matches(StoredName("report_1", "png"), docs[0]);
        Assert.Matches(StoredName("notes", "txt"), docs[1]);
        var cover = rec["cover"]!.GetValue<string>();
        var id = rec["id"]!.GetValue<string>();
        await t.WaitForKeysAsync([$"{cid}/{id}/{docs[0]}", $"{cid}/{id}/{docs[1]}", $"{cid}/{id}/{cover}"], ct);

        using (var r = await t.Guest.GetAsync($"/api/files/notes/{id}/{docs[0]}", ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal(png, await r.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal("image/png", r.Content.Headers.ContentType!.MediaType);
        }

        // name+ appends, name- removes (the removed file is deleted after the commit), a plain upload replaces.
        using var append = Form(("docs+", "more.txt", "more"u8.ToArray()), Field("docs-", $"[\"{docs[1]}\"]"));
        (status, rec) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/notes/records/{id}", append, ct);
        Assert.True(status == 200, rec.ToJsonString());
        var after = Names(rec["docs"]);
        Assert.Equal(2, after.Count);
        Assert.Equal(docs[0], after[0]);
        Assert.Matches(StoredName("more", "txt"), after[1]);
        await t.WaitForKeysAsync([$"{cid}/{id}/{after[0]}", $"{cid}/{id}/{after[1]}", $"{cid}/{id}/{cover}"], ct);

        using var replace = Form(("cover", "new.png", png));
        (status, rec) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/notes/records/{id}", replace, ct);
        Assert.True(status == 200, rec.ToJsonString());
        var newCover = rec["cover"]!.GetValue<string>();
        Assert.NotEqual(cover, newCover);
        await t.WaitForKeysAsync([$"{cid}/{id}/{after[0]}", $"{cid}/{id}/{after[1]}", $"{cid}/{id}/{newCover}"], ct);

        // JSON removal of every file of a field
        (status, rec) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/notes/records/{id}", JsonContent.Create(new { docs = Array.Empty<string>() }), ct);
        Assert.True(status == 200, rec.ToJsonString());
        await t.WaitForKeysAsync([$"{cid}/{id}/{newCover}"], ct);

        using var del = await t.Guest.DeleteAsync($"/api/collections/notes/records/{id}", ct);
        Assert.Equal(204, (int)del.StatusCode);
        await t.WaitForKeysAsync([], ct);
    }

    [Theory]
    [StorageMatrix]
    public async Task A_write_refused_by_validation_or_rule_stores_no_file(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        JsonArray fields = [new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true }, new JsonObject { ["name"] = "docs", ["type"] = "file", ["maxSelect"] = 3 }];
        await t.CreateCollectionAsync("strict", fields, ct, createRule: "title = 'ok'", updateRule: "title = 'ok'");
        using var invalid = Form(("docs", "a.txt", "a"u8.ToArray()));
        var (status, body) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/strict/records", invalid, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_required", body["data"]!["title"]!["code"]!.GetValue<string>());
        using var denied = Form(("docs", "a.txt", "a"u8.ToArray()), Field("title", "nope"));
        (status, _) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/strict/records", denied, ct);
        Assert.Equal(400, status);
        Assert.Empty(await t.KeysAsync(ct));

        // an update whose rule fails after the upload is applied: 404 and nothing written
        using var ok = new FormUrlEncodedContent([new("title", "ok")]);
        (status, body) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections/strict/records", ok, ct);
        Assert.Equal(200, status);
        var id = body["id"]!.GetValue<string>();
        using var upd = Form(("docs+", "b.txt", "b"u8.ToArray()), Field("title", "changed"));
        var sql = (await t.Guest.PatchAsync($"/api/collections/strict/records/{id}", upd, ct));
        Assert.Equal(200, (int)sql.StatusCode); // the update rule sees the current row ("ok")
        var keys = await t.KeysAsync(ct);
        Assert.Single(keys);

        // a batch whose second request fails rolls back the first one's file
        using var enable = await t.Su.PatchAsJsonAsync("/api/settings", new { batch = new { enabled = true } }, ct);
        Assert.True(enable.IsSuccessStatusCode);
        var batch = new MultipartFormDataContent
        {
            { new StringContent("""{"requests":[{"method":"POST","url":"/api/collections/strict/records","body":{"title":"ok"}},{"method":"POST","url":"/api/collections/strict/records","body":{"title":""}}]}"""), "@jsonPayload" },
        };
        var part = new ByteArrayContent("c"u8.ToArray());
        batch.Add(part, "requests.0.docs", "c.txt");
        (status, body) = await SendAsync(t.Su, HttpMethod.Post, "/api/batch", batch, ct);
        Assert.Equal(400, status);
        Assert.Equal(keys, await t.KeysAsync(ct));

        var good = new MultipartFormDataContent
        {
            { new StringContent("""{"requests":[{"method":"POST","url":"/api/collections/strict/records","body":{"title":"ok"}}]}"""), "@jsonPayload" },
        };
        good.Add(new ByteArrayContent("d"u8.ToArray()), "requests[0].docs", "doc.txt");
        (status, body) = await SendAsync(t.Su, HttpMethod.Post, "/api/batch", good, ct);
        Assert.True(status == 200, body.ToJsonString());
        Assert.Matches(StoredName("doc", "txt"), Names(body[0]!["body"]!["docs"])[0]);
        Assert.Equal(2, (await t.KeysAsync(ct)).Count);
    }

    private static Regex StoredName(string stem, string ext) => new($"^{stem}_[a-z0-9]{{10}}\\.{ext}$");
}
