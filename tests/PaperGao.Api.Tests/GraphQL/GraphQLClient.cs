using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>Posts GraphQL requests and reads the result.</summary>
internal static class GraphQLClient
{
    public const string ResponseMedia = "application/graphql-response+json";

    public static async Task<(int Status, JsonNode Body)> PostAsync(HttpClient client, string query, object? variables = null, CancellationToken ct = default,
        string accept = ResponseMedia, string path = "/api/graphql")
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { query, variables }) };
        req.Headers.TryAddWithoutValidation("Accept", accept);
        using var r = await client.SendAsync(req, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return ((int)r.StatusCode, JsonNode.Parse(text)!);
    }

    /// <summary>Data of a request that must succeed without errors.</summary>
    public static async Task<JsonNode> DataAsync(HttpClient client, string query, object? variables = null, CancellationToken ct = default)
    {
        var (status, body) = await PostAsync(client, query, variables, ct);
        if (status != 200 || body["errors"] is not null) throw new InvalidOperationException($"GraphQL failed: {status} {body.ToJsonString()}");
        return body["data"]!;
    }

    /// <summary>The first error's message of a request that must fail.</summary>
    public static async Task<(int Status, JsonNode Error)> ErrorAsync(HttpClient client, string query, object? variables = null, CancellationToken ct = default)
    {
        var (status, body) = await PostAsync(client, query, variables, ct);
        if (body["errors"] is not JsonArray { Count: > 0 } errors) throw new InvalidOperationException($"expected an error: {status} {body.ToJsonString()}");
        return (status, errors[0]!);
    }
}
