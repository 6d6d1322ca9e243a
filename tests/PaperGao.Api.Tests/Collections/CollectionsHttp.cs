using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Collections;

/// <summary>Small HTTP helpers for the collections tests.</summary>
internal static class CollectionsHttp
{
    public static async Task<(int Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string url, JsonNode? body, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null) req.Content = JsonContent.Create(body);
        using var r = await client.SendAsync(req, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return ((int)r.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static Task<(int Status, JsonNode? Body)> PostAsync(HttpClient c, string url, JsonNode body, CancellationToken ct) => SendAsync(c, HttpMethod.Post, url, body, ct);

    public static Task<(int Status, JsonNode? Body)> PatchAsync(HttpClient c, string url, JsonNode body, CancellationToken ct) => SendAsync(c, HttpMethod.Patch, url, body, ct);

    public static Task<(int Status, JsonNode? Body)> GetAsync(HttpClient c, string url, CancellationToken ct) => SendAsync(c, HttpMethod.Get, url, null, ct);

    public static Task<(int Status, JsonNode? Body)> DeleteAsync(HttpClient c, string url, CancellationToken ct) => SendAsync(c, HttpMethod.Delete, url, null, ct);

    /// <summary>Creates a collection and returns its JSON; fails the test with the response body otherwise.</summary>
    public static async Task<JsonObject> CreateAsync(HttpClient su, JsonObject collection, CancellationToken ct)
    {
        var (status, body) = await PostAsync(su, "/api/collections", collection, ct);
        Assert.True(status == 200, $"create collection: {status} {body?.ToJsonString()}");
        return body!.AsObject();
    }

    public static async Task<JsonObject> CreateRecordAsync(HttpClient su, string collection, JsonObject record, CancellationToken ct)
    {
        var (status, body) = await PostAsync(su, $"/api/collections/{collection}/records", record, ct);
        Assert.True(status == 200, $"create record: {status} {body?.ToJsonString()}");
        return body!.AsObject();
    }

    public static async Task<JsonObject> GetRecordAsync(HttpClient su, string collection, string id, CancellationToken ct)
    {
        var (status, body) = await GetAsync(su, $"/api/collections/{collection}/records/{id}", ct);
        Assert.True(status == 200, $"get record: {status} {body?.ToJsonString()}");
        return body!.AsObject();
    }

    public static async Task<int> CountRecordsAsync(HttpClient su, string collection, CancellationToken ct)
    {
        var (status, body) = await GetAsync(su, $"/api/collections/{collection}/records?perPage=1", ct);
        Assert.True(status == 200, $"list records: {status} {body?.ToJsonString()}");
        return body!["totalItems"]!.GetValue<int>();
    }

    public static JsonObject Field(string name, string type, JsonObject? options = null)
    {
        var f = new JsonObject { ["name"] = name, ["type"] = type };
        if (options is not null) foreach (var (k, v) in options) f[k] = v?.DeepClone();
        return f;
    }

    /// <summary>The fields of a collection JSON, with one field replaced/removed/added by a callback on a deep copy.</summary>
    public static JsonArray Fields(JsonNode collection) => collection["fields"]!.DeepClone().AsArray();

    public static JsonObject FieldByName(JsonArray fields, string name) =>
        fields.OfType<JsonObject>().Single(f => f["name"]!.GetValue<string>() == name);

    public static string Code(JsonNode? error) => error?["code"]?.GetValue<string>() ?? $"<no code in {error?.ToJsonString()}>";
}
