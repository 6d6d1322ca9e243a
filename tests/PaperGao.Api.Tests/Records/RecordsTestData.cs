using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Records;

/// <summary>Creates the small schema the records tests share: users-like authors, posts (relations, select, json), comments.</summary>
internal static class RecordsTestData
{
    public static async Task CreateSchemaAsync(HttpClient su, CancellationToken ct)
    {
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "authors", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["type"] = "text", ["required"] = true },
                new JsonObject { ["name"] = "secret", ["type"] = "text", ["hidden"] = true }),
        }, ct);
        var authorsId = (await GetJsonAsync(su, "/api/collections/authors", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "posts", ["type"] = "base",
            ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "", ["updateRule"] = "", ["deleteRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text", ["required"] = true, ["max"] = 100 },
                new JsonObject { ["name"] = "views", ["type"] = "number" },
                new JsonObject { ["name"] = "active", ["type"] = "bool" },
                new JsonObject { ["name"] = "tags", ["type"] = "select", ["maxSelect"] = 3, ["values"] = new JsonArray("a", "b", "c") },
                new JsonObject { ["name"] = "author", ["type"] = "relation", ["collectionId"] = authorsId, ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "data", ["type"] = "json" },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true },
                new JsonObject { ["name"] = "updated", ["type"] = "autodate", ["onCreate"] = true, ["onUpdate"] = true }),
            ["indexes"] = new JsonArray("CREATE INDEX idx_posts_views ON posts (views)"),
        }, ct);
        var postsId = (await GetJsonAsync(su, "/api/collections/posts", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "comments", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "message", ["type"] = "text" },
                new JsonObject { ["name"] = "post", ["type"] = "relation", ["collectionId"] = postsId, ["maxSelect"] = 1, ["cascadeDelete"] = true }),
        }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "locked", ["type"] = "base", ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }) }, ct);
    }

    public static async Task CreateAsync(HttpClient su, JsonObject collection, CancellationToken ct)
    {
        using var r = await su.PostAsJsonAsync("/api/collections", collection, ct);
        var body = await r.Content.ReadAsStringAsync(ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"create collection failed: {(int)r.StatusCode} {body}");
    }

    public static async Task<JsonNode> GetJsonAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var r = await client.GetAsync(url, ct);
        var body = await r.Content.ReadAsStringAsync(ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null) req.Content = JsonContent.Create(body);
        using var r = await client.SendAsync(req, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
