using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Files.FileTestContent;

namespace PaperGao.Api.Tests.Files;

/// <summary>Resumable uploads (tus 1.0 core + creation) attached to a record's file field when complete.</summary>
public sealed class FilesTusTests(PostgresCluster postgres)
{
    [Theory]
    [StorageMatrix]
    public async Task A_resumable_upload_is_attached_to_the_record_when_complete(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var cid = await t.CreateCollectionAsync("videos", [
            new JsonObject { ["name"] = "title", ["type"] = "text" },
            new JsonObject { ["name"] = "clips", ["type"] = "file", ["maxSelect"] = 5, ["maxSize"] = 100_000, ["mimeTypes"] = new JsonArray("image/png", "text/plain") },
        ], ct, updateRule: "title = 'open'");
        var (status, rec) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections/videos/records", Form(Field("title", "open")), ct);
        Assert.Equal(200, status);
        var id = rec["id"]!.GetValue<string>();
        var png = Png(64, 64);

        using (var options = await t.Guest.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/files/uploads"), ct))
        {
            Assert.Equal(204, (int)options.StatusCode);
            Assert.Equal("creation", options.Headers.GetValues("Tus-Extension").Single());
        }
        using var create = await t.Guest.SendAsync(Create(Meta("videos", id, "clips", "Clip One.png"), png.Length), ct);
        Assert.True(201 == (int)create.StatusCode, await create.Content.ReadAsStringAsync(ct));
        var location = create.Headers.Location!.ToString();
        Assert.StartsWith("/api/files/uploads/", location);

        var half = png.Length / 2;
        using (var first = await t.Guest.SendAsync(Patch(location, 0, png[..half]), ct))
        {
            Assert.Equal(204, (int)first.StatusCode);
            Assert.Equal(half.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Headers.GetValues("Upload-Offset").Single());
        }
        using (var head = await t.Guest.SendAsync(Tus(HttpMethod.Head, location), ct))
        {
            Assert.Equal(200, (int)head.StatusCode);
            Assert.Equal(half.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers.GetValues("Upload-Offset").Single());
        }
        using (var wrongOffset = await t.Guest.SendAsync(Patch(location, 0, png[half..]), ct)) Assert.Equal(409, (int)wrongOffset.StatusCode);
        using (var su = await t.Su.SendAsync(Tus(HttpMethod.Head, location), ct)) Assert.Equal(404, (int)su.StatusCode); // another caller's upload
        Assert.DoesNotContain(await t.KeysAsync(ct), k => k.StartsWith($"{cid}/{id}/", StringComparison.Ordinal));

        using (var last = await t.Guest.SendAsync(Patch(location, half, png[half..]), ct))
        {
            Assert.True(204 == (int)last.StatusCode, await last.Content.ReadAsStringAsync(ct));
            Assert.Equal(id, last.Headers.GetValues("Upload-Record").Single());
        }
        var after = JsonNode.Parse(await t.Guest.GetStringAsync($"/api/collections/videos/records/{id}", ct))!;
        var name = Assert.Single(Names(after["clips"]));
        Assert.Matches("^clip_one_[a-z0-9]{10}\\.png$", name);
        Assert.Equal(png, await t.Guest.GetByteArrayAsync($"/api/files/videos/{id}/{name}", ct));
        using (var gone = await t.Guest.SendAsync(Tus(HttpMethod.Head, location), ct)) Assert.Equal(404, (int)gone.StatusCode);
    }

    [Theory]
    [StorageMatrix]
    public async Task Bad_resumable_uploads_are_refused(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        await t.CreateCollectionAsync("videos", [
            new JsonObject { ["name"] = "title", ["type"] = "text" },
            new JsonObject { ["name"] = "clips", ["type"] = "file", ["maxSelect"] = 5, ["maxSize"] = 1000, ["mimeTypes"] = new JsonArray("image/png") },
        ], ct, updateRule: "title = 'open'");
        var (_, open) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections/videos/records", Form(Field("title", "open")), ct);
        var (_, closed) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections/videos/records", Form(Field("title", "closed")), ct);
        var openId = open["id"]!.GetValue<string>();

        using (var noVersion = await t.Guest.PostAsync("/api/files/uploads", null, ct)) Assert.Equal(412, (int)noVersion.StatusCode);
        using (var noMeta = await t.Guest.SendAsync(Create("", 10), ct))
        {
            Assert.Equal(400, (int)noMeta.StatusCode);
            Assert.Equal("validation_required", JsonNode.Parse(await noMeta.Content.ReadAsStringAsync(ct))!["data"]!["collection"]!["code"]!.GetValue<string>());
        }
        using (var tooBig = await t.Guest.SendAsync(Create(Meta("videos", openId, "clips", "a.png"), 1001), ct)) Assert.Equal(413, (int)tooBig.StatusCode);
        using (var notFile = await t.Guest.SendAsync(Create(Meta("videos", openId, "title", "a.png"), 10), ct)) Assert.Equal(400, (int)notFile.StatusCode);
        using (var denied = await t.Guest.SendAsync(Create(Meta("videos", closed["id"]!.GetValue<string>(), "clips", "a.png"), 10), ct)) Assert.Equal(404, (int)denied.StatusCode);
        using (var badId = await t.Guest.SendAsync(Tus(HttpMethod.Head, "/api/files/uploads/..%2f..%2fdata.db"), ct)) Assert.Equal(404, (int)badId.StatusCode);

        // more bytes than declared: 413; a complete upload the field refuses (an executable): the validation error, nothing stored
        using var c1 = await t.Guest.SendAsync(Create(Meta("videos", openId, "clips", "a.png"), 4), ct);
        using (var over = await t.Guest.SendAsync(Patch(c1.Headers.Location!.ToString(), 0, new byte[10]), ct)) Assert.Equal(413, (int)over.StatusCode);
        var exe = Exe();
        using var c2 = await t.Guest.SendAsync(Create(Meta("videos", openId, "clips", "photo.png"), exe.Length), ct);
        using (var refused = await t.Guest.SendAsync(Patch(c2.Headers.Location!.ToString(), 0, exe), ct))
        {
            Assert.Equal(400, (int)refused.StatusCode);
            Assert.Equal("validation_invalid_mime_type", JsonNode.Parse(await refused.Content.ReadAsStringAsync(ct))!["data"]!["clips"]!["code"]!.GetValue<string>());
        }
        using (var wrongType = new HttpRequestMessage(HttpMethod.Patch, c1.Headers.Location!.ToString()) { Content = new ByteArrayContent([1]) })
        {
            wrongType.Headers.Add("Tus-Resumable", "1.0.0");
            wrongType.Headers.Add("Upload-Offset", "0");
            using var r = await t.Guest.SendAsync(wrongType, ct);
            Assert.Equal(415, (int)r.StatusCode);
        }
        Assert.Empty(await t.KeysAsync(ct));
    }

    private static string Meta(string collection, string record, string field, string filename) =>
        string.Join(',', new[] { ("collection", collection), ("record", record), ("field", field), ("filename", filename) }
            .Select(kv => kv.Item1 + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(kv.Item2))));

    private static HttpRequestMessage Tus(HttpMethod method, string url)
    {
        var r = new HttpRequestMessage(method, url);
        r.Headers.Add("Tus-Resumable", "1.0.0");
        return r;
    }

    private static HttpRequestMessage Create(string metadata, long length)
    {
        var r = Tus(HttpMethod.Post, "/api/files/uploads");
        r.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (metadata.Length > 0) r.Headers.Add("Upload-Metadata", metadata);
        return r;
    }

    private static HttpRequestMessage Patch(string url, long offset, byte[] data)
    {
        var r = Tus(HttpMethod.Patch, url);
        r.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        r.Content = new ByteArrayContent(data);
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return r;
    }
}
