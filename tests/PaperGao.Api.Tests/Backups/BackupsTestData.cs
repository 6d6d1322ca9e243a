using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Files;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>Shared steps of the backup tests: a small project with records, a view and a file; create, download, upload, restore.</summary>
internal static class BackupsTestData
{
    /// <summary>The records schema, three posts (one with a JSON value), an author, a view, and a "docs" collection with one file.</summary>
    public static async Task SeedAsync(HttpClient su, CancellationToken ct)
    {
        await CreateSchemaAsync(su, ct);
        var author = await PostAsync(su, "/api/collections/authors/records", new { name = "Ann", secret = "s1" }, ct);
        for (var i = 1; i <= 3; i++)
            await PostAsync(su, "/api/collections/posts/records", new { title = "post " + i, views = i * 10, active = i % 2 == 1, tags = new[] { "a", "b" }, author = author["id"]!.GetValue<string>(), data = new { n = i, list = new[] { 1, 2 } } }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "post_views", ["type"] = "view", ["listRule"] = "", ["viewQuery"] = "SELECT id, title, views FROM posts" }, ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "docs", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "file", ["type"] = "file", ["maxSelect"] = 1, ["maxSize"] = 1_000_000 }),
        }, ct);
        var (status, body) = await FileTestContent.SendAsync(su, HttpMethod.Post, "/api/collections/docs/records",
            FileTestContent.Form(("file", "hello.txt", "hello backup"u8.ToArray())), ct);
        Assert.True(status == 200, body.ToJsonString());
    }

    public static async Task<JsonNode> PostAsync(HttpClient c, string url, object body, CancellationToken ct)
    {
        using var r = await c.PostAsJsonAsync(url, body, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        Assert.True(r.IsSuccessStatusCode, $"POST {url}: {(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task CreateBackupAsync(HttpClient su, string name, CancellationToken ct)
    {
        var (status, body) = await Records.RecordsTestData.SendAsync(su, HttpMethod.Post, "/api/backups", new { name }, ct);
        Assert.True(status == 204, $"{status} {body?.ToJsonString()}");
    }

    public static async Task RestoreAsync(HttpClient su, string name, CancellationToken ct)
    {
        var (status, body) = await Records.RecordsTestData.SendAsync(su, HttpMethod.Post, $"/api/backups/{name}/restore", null, ct);
        Assert.True(status == 204, $"{status} {body?.ToJsonString()}");
    }

    public static async Task<byte[]> DownloadAsync(HttpClient su, HttpClient guest, string name, CancellationToken ct)
    {
        var token = (await PostAsync(su, "/api/files/token", new { }, ct))["token"]!.GetValue<string>();
        using var r = await guest.GetAsync($"/api/backups/{name}?token={token}", ct);
        Assert.Equal(200, (int)r.StatusCode);
        return await r.Content.ReadAsByteArrayAsync(ct);
    }

    public static async Task<(int Status, JsonNode Body)> UploadAsync(HttpClient su, string fileName, byte[] zip, CancellationToken ct) =>
        await FileTestContent.SendAsync(su, HttpMethod.Post, "/api/backups/upload", FileTestContent.Form(("file", fileName, zip)), ct);

    /// <summary>What a restore must bring back: the seeded records, the view, the file's bytes.</summary>
    public static async Task AssertSeededAsync(HttpClient su, HttpClient guest, CancellationToken ct)
    {
        var posts = await GetJsonAsync(su, "/api/collections/posts/records?sort=views", ct);
        Assert.Equal(3, posts["totalItems"]!.GetValue<int>());
        var first = posts["items"]![0]!;
        Assert.Equal("post 1", first["title"]!.GetValue<string>());
        Assert.Equal(10, first["views"]!.GetValue<double>());
        Assert.True(first["active"]!.GetValue<bool>());
        Assert.Equal(["a", "b"], first["tags"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(1, first["data"]!["n"]!.GetValue<int>());
        var author = await GetJsonAsync(su, "/api/collections/authors/records", ct);
        Assert.Equal("s1", author["items"]![0]!["secret"]!.GetValue<string>());
        Assert.Equal(3, (await GetJsonAsync(guest, "/api/collections/post_views/records", ct))["totalItems"]!.GetValue<int>());
        var doc = (await GetJsonAsync(guest, "/api/collections/docs/records", ct))["items"]![0]!;
        var file = doc["file"]!.GetValue<string>();
        using var r = await guest.GetAsync($"/api/files/docs/{doc["id"]!.GetValue<string>()}/{file}", ct);
        Assert.Equal(200, (int)r.StatusCode);
        Assert.Equal("hello backup", await r.Content.ReadAsStringAsync(ct));
    }
}
