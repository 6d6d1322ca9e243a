using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Files.FileTestContent;

namespace PaperGao.Api.Tests.Files;

/// <summary>GET /api/files: headers, ranges, conditional requests, thumbnails, and protected files with file tokens.</summary>
public sealed class FilesDownloadTests(PostgresCluster postgres)
{
    [Theory]
    [StorageMatrix]
    public async Task Downloads_support_ranges_etags_and_safe_dispositions(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        await t.CreateCollectionAsync("docs", [new JsonObject { ["name"] = "f", ["type"] = "file", ["maxSelect"] = 5 }], ct);
        var text = "0123456789abcdef"u8.ToArray();
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();
        var html = "<!DOCTYPE html><html><script>alert(1)</script></html>"u8.ToArray();
        var png = Png(4, 4);
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/docs/records",
            Form(("f", "a.txt", text), ("f", "x.svg", svg), ("f", "page.html", html), ("f", "p.png", png)), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var n = Names(rec["f"]);
        var url = $"/api/files/docs/{id}/{n[0]}";

        using (var r = await t.Guest.GetAsync(url, ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal(text, await r.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal("text/plain", r.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Contains("sandbox", r.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.False(r.Headers.Contains("X-Frame-Options"));
            Assert.Equal("bytes", r.Headers.AcceptRanges.Single());
            var etag = r.Headers.ETag!.Tag;

            using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
            conditional.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var r304 = await t.Guest.SendAsync(conditional, ct);
            Assert.Equal(304, (int)r304.StatusCode);
            Assert.Empty(await r304.Content.ReadAsByteArrayAsync(ct));

            using var since = new HttpRequestMessage(HttpMethod.Get, url);
            since.Headers.IfModifiedSince = r.Content.Headers.LastModified;
            using var r304b = await t.Guest.SendAsync(since, ct);
            Assert.Equal(304, (int)r304b.StatusCode);

            using var stale = new HttpRequestMessage(HttpMethod.Get, url);
            stale.Headers.TryAddWithoutValidation("If-None-Match", "\"other\"");
            using var r200 = await t.Guest.SendAsync(stale, ct);
            Assert.Equal(200, (int)r200.StatusCode);

            foreach (var (range, expected, contentRange) in new[] { ("bytes=2-5", "2345", "bytes 2-5/16"), ("bytes=-3", "def", "bytes 13-15/16"), ("bytes=14-99", "ef", "bytes 14-15/16") })
            {
                using var req = new HttpRequestMessage(HttpMethod.Get, url);
                req.Headers.TryAddWithoutValidation("Range", range);
                using var partial = await t.Guest.SendAsync(req, ct);
                Assert.Equal(206, (int)partial.StatusCode);
                Assert.Equal(expected, await partial.Content.ReadAsStringAsync(ct));
                Assert.Equal(contentRange, partial.Content.Headers.GetValues("Content-Range").Single());
            }

            using var ifRange = new HttpRequestMessage(HttpMethod.Get, url);
            ifRange.Headers.TryAddWithoutValidation("Range", "bytes=0-1");
            ifRange.Headers.TryAddWithoutValidation("If-Range", "\"changed\"");
            using var whole = await t.Guest.SendAsync(ifRange, ct);
            Assert.Equal(200, (int)whole.StatusCode);
        }

        using (var r = await t.Guest.GetAsync(url + "?download=1", ct))
            Assert.StartsWith("attachment; filename=\"" + n[0] + "\"", r.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        using (var r = await t.Guest.GetAsync($"/api/files/docs/{id}/{n[3]}", ct))
            Assert.StartsWith("inline", r.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        using (var r = await t.Guest.GetAsync($"/api/files/docs/{id}/{n[3]}?download=true", ct))
            Assert.StartsWith("attachment", r.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        foreach (var (name, type) in new[] { (n[1], "image/svg+xml"), (n[2], "text/html") })
        {
            using var r = await t.Guest.GetAsync($"/api/files/docs/{id}/{name}", ct);
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal(type, r.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("attachment", r.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        }
        using (var head = await t.Guest.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), ct))
        {
            Assert.Equal(200, (int)head.StatusCode);
            Assert.Equal(16, head.Content.Headers.ContentLength);
        }
    }

    [Theory]
    [StorageMatrix]
    public async Task Thumbnails_are_made_once_for_allowed_sizes(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var cid = await t.CreateCollectionAsync("pics", [new JsonObject { ["name"] = "img", ["type"] = "file", ["maxSelect"] = 3, ["thumbs"] = new JsonArray("50x0", "0x10", "40x40f", "20x10t", "20x10b") }], ct);
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/pics/records", Form(("img", "a.png", Png(300, 200)), ("img", "b.jpg", Jpeg(120, 60))), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var (pngName, jpgName) = (Names(rec["img"])[0], Names(rec["img"])[1]);

        foreach (var (thumb, size) in new[] { ("100x100", (100, 100)), ("50x0", (50, 33)), ("0x10", (15, 10)), ("40x40f", (40, 27)), ("20x10t", (20, 10)), ("20x10b", (20, 10)) })
        {
            using var r = await t.Guest.GetAsync($"/api/files/pics/{id}/{pngName}?thumb={thumb}", ct);
            Assert.Equal(200, (int)r.StatusCode);
            var bytes = await r.Content.ReadAsByteArrayAsync(ct);
            Assert.Equal(size, SizeOf(bytes));
            Assert.Equal("image/png", r.Content.Headers.ContentType!.MediaType);
            Assert.Contains($"filename=\"{thumb}_{pngName}\"", r.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
            Assert.True(await t.Storage.ExistsAsync($"{cid}/{id}/thumbs_{pngName}/{thumb}_{pngName}", ct));
            // the second request is served from the stored thumbnail: same bytes, same validator
            using var again = await t.Guest.GetAsync($"/api/files/pics/{id}/{pngName}?thumb={thumb}", ct);
            Assert.Equal(bytes, await again.Content.ReadAsByteArrayAsync(ct));
            Assert.Equal(r.Headers.ETag, again.Headers.ETag);
        }
        using (var r = await t.Guest.GetAsync($"/api/files/pics/{id}/{jpgName}?thumb=100x100", ct))
        {
            Assert.Equal("image/jpeg", r.Content.Headers.ContentType!.MediaType);
            Assert.Equal((100, 100), SizeOf(await r.Content.ReadAsByteArrayAsync(ct)));
        }

        // replacing the file deletes its thumbnails with it
        (status, rec) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/pics/records/{id}", JsonContent.Create(new Dictionary<string, object> { ["img-"] = new[] { pngName } }), ct);
        Assert.True(status == 200, rec.ToJsonString());
        await t.WaitForKeysAsync([$"{cid}/{id}/{jpgName}", $"{cid}/{id}/thumbs_{jpgName}/100x100_{jpgName}"], ct);
    }

    [Theory]
    [StorageMatrix]
    public async Task Protected_files_need_a_file_token_that_passes_the_view_rule(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var alice = await SignUpAsync(t, "alice@example.test", ct);
        var bob = await SignUpAsync(t, "bob@example.test", ct);
        await t.CreateCollectionAsync("private", [
            new JsonObject { ["name"] = "owner", ["type"] = "text" },
            new JsonObject { ["name"] = "doc", ["type"] = "file", ["maxSelect"] = 1, ["protected"] = true },
            new JsonObject { ["name"] = "pub", ["type"] = "file", ["maxSelect"] = 1 },
        ], ct, viewRule: "owner = @request.auth.id");
        var (status, rec) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections/private/records",
            Form(("doc", "secret.txt", "secret"u8.ToArray()), ("pub", "open.txt", "open"u8.ToArray()), Field("owner", alice.Id)), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var url = $"/api/files/private/{rec["id"]!.GetValue<string>()}/{rec["doc"]!.GetValue<string>()}";

        using (var r = await t.Guest.GetAsync($"/api/files/private/{rec["id"]!.GetValue<string>()}/{rec["pub"]!.GetValue<string>()}", ct))
            Assert.Equal(200, (int)r.StatusCode); // not protected: anyone with the name
        using (var r = await t.Guest.GetAsync(url, ct)) Assert.Equal(404, (int)r.StatusCode);
        using (var r = await alice.Client.GetAsync(url, ct)) Assert.Equal(404, (int)r.StatusCode); // the Authorization header is not a file token

        // POST /api/files/token: 401 for guests
        using (var r = await t.Guest.PostAsync("/api/files/token", null, ct))
        {
            Assert.Equal(401, (int)r.StatusCode);
            Assert.Equal(401, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
        }
        var aliceToken = await FileTokenAsync(alice.Client, ct);
        var bobToken = await FileTokenAsync(bob.Client, ct);
        var suToken = await FileTokenAsync(t.Su, ct);
        using (var r = await t.Guest.GetAsync(url + "?token=" + aliceToken, ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal("secret", await r.Content.ReadAsStringAsync(ct));
        }
        using (var r = await t.Guest.GetAsync(url + "?token=" + suToken, ct)) Assert.Equal(200, (int)r.StatusCode);
        using (var r = await t.Guest.GetAsync(url + "?token=" + bobToken, ct)) Assert.Equal(404, (int)r.StatusCode);
        using (var r = await t.Guest.GetAsync(url + "?token=" + alice.AuthToken, ct)) Assert.Equal(404, (int)r.StatusCode); // an auth token is not a file token
        using (var r = await t.Guest.GetAsync(url + "?token=" + aliceToken[..^2] + "xx", ct)) Assert.Equal(404, (int)r.StatusCode);

        // a password change rotates the token key: the old file token stops working
        using var pw = await alice.Client.PatchAsJsonAsync($"/api/collections/users/records/{alice.Id}", new { oldPassword = "Password-123", password = "Password-456", passwordConfirm = "Password-456" }, ct);
        Assert.True(pw.IsSuccessStatusCode, await pw.Content.ReadAsStringAsync(ct));
        using (var r = await t.Guest.GetAsync(url + "?token=" + aliceToken, ct)) Assert.Equal(404, (int)r.StatusCode);
    }

    [Theory]
    [StorageMatrix]
    public async Task A_view_serves_the_files_of_its_source_records_under_its_own_view_rule(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        await t.CreateCollectionAsync("docs", [
            new JsonObject { ["name"] = "secret", ["type"] = "file", ["maxSelect"] = 1, ["protected"] = true },
            new JsonObject { ["name"] = "open", ["type"] = "file", ["maxSelect"] = 3 },
            new JsonObject { ["name"] = "shared", ["type"] = "bool" }], ct);
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/docs/records",
            Form(("secret", "s.txt", "hidden"u8.ToArray()), ("open", "o.txt", "public"u8.ToArray()), Field("shared", "true")), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var (secret, open) = (Names(rec["secret"])[0], Names(rec["open"])[0]);
        (status, var view) = await SendAsync(t.Su, HttpMethod.Post, "/api/collections", JsonContent.Create(new JsonObject
        {
            ["name"] = "docs_view", ["type"] = "view", ["listRule"] = "", ["viewRule"] = "@request.auth.id != '' && shared = true",
            ["viewQuery"] = "SELECT id, secret AS hush, open, shared FROM docs",
        }), ct);
        Assert.True(status == 200, view.ToJsonString());

        // Not protected: anyone; protected: only with a file token the view's rule accepts.
        using (var r = await t.Guest.GetAsync($"/api/files/docs_view/{id}/{open}", ct))
            Assert.Equal("public", await r.Content.ReadAsStringAsync(ct));
        Assert.Equal(404, (int)(await t.Guest.GetAsync($"/api/files/docs_view/{id}/{secret}", ct)).StatusCode);
        var alice = await SignUpAsync(t, "alice@example.com", ct);
        var token = await FileTokenAsync(alice.Client, ct);
        using (var r = await t.Guest.GetAsync($"/api/files/docs_view/{id}/{secret}?token={token}", ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal("hidden", await r.Content.ReadAsStringAsync(ct));
        }
        // A name the view's record does not show is not served through it.
        Assert.Equal(404, (int)(await t.Guest.GetAsync($"/api/files/docs_view/{id}/other_{open}", ct)).StatusCode);
        Assert.Equal(200, (await SendAsync(t.Su, HttpMethod.Patch, "/api/collections/docs/records/" + id, JsonContent.Create(new JsonObject { ["shared"] = false }), ct)).Status);
        Assert.Equal(404, (int)(await t.Guest.GetAsync($"/api/files/docs_view/{id}/{secret}?token={token}", ct)).StatusCode);
    }

    private sealed record User(string Id, string AuthToken, HttpClient Client);

    private static async Task<User> SignUpAsync(FilesTestApp t, string email, CancellationToken ct)
    {
        using var create = await t.Guest.PostAsJsonAsync("/api/collections/users/records", new { email, password = "Password-123", passwordConfirm = "Password-123" }, ct);
        Assert.True(create.IsSuccessStatusCode, await create.Content.ReadAsStringAsync(ct));
        using var login = await t.Guest.PostAsJsonAsync("/api/collections/users/auth-with-password", new { identity = email, password = "Password-123" }, ct);
        var body = JsonNode.Parse(await login.Content.ReadAsStringAsync(ct))!;
        var token = body["token"]!.GetValue<string>();
        var client = t.App.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return new User(body["record"]!["id"]!.GetValue<string>(), token, client);
    }

    private static async Task<string> FileTokenAsync(HttpClient client, CancellationToken ct)
    {
        using var r = await client.PostAsync("/api/files/token", null, ct);
        var body = await r.Content.ReadAsStringAsync(ct);
        Assert.True(r.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }
}
