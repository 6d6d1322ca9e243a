using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PaperGao.GraphQL.Execution;

namespace PaperGao.Api.GraphQL;

/// <summary>
/// Reads a GraphQL-over-HTTP request: POST with an application/json body, or GET with query parameters. Returns the
/// request, or an error message for a malformed one (always 400, or 415 for a body that is not JSON).
/// </summary>
internal static class GraphQLHttpRequest
{
    /// <summary>The largest POST body read: queries are capped far lower, variables may carry JSON values.</summary>
    public const int MaxBodyBytes = 4 << 20;

    public sealed record Failure(int Status, string Message);

    public static async Task<(GraphQLRequest? Request, Failure? Error)> ReadAsync(HttpContext ctx)
    {
        if (HttpMethods.IsGet(ctx.Request.Method)) return FromQuery(ctx.Request.Query);
        var type = ctx.Request.ContentType ?? "";
        var media = type.Split(';')[0].Trim();
        if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !media.Equals("application/graphql-response+json", StringComparison.OrdinalIgnoreCase))
            return (null, new Failure(415, "The request body must be application/json."));
        var charset = type.Split(';').Skip(1).Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("charset=", StringComparison.OrdinalIgnoreCase));
        if (charset is not null && !charset[8..].Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            return (null, new Failure(415, "The request body must be UTF-8."));

        // Read into a buffer sized by Content-Length (grown when absent or wrong) and parse it in place: no copies.
        if (ctx.Request.ContentLength > MaxBodyBytes) return (null, new Failure(413, "The request body is too large."));
        using var ms = new MemoryStream((int)(ctx.Request.ContentLength ?? 1024));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int n;
            while ((n = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
            {
                if (ms.Length + n > MaxBodyBytes) return (null, new Failure(413, "The request body is too large."));
                ms.Write(buffer, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        if (ms.Length == 0) return (null, new Failure(400, "The request body is missing."));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(ms.GetBuffer().AsMemory(0, (int)ms.Length), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return (null, new Failure(400, "The request body is not valid JSON."));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, new Failure(400, "The request body must be a JSON object."));
            if (!root.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String)
                return (null, new Failure(400, "The query parameter must be a string."));
            string? operationName = null;
            if (root.TryGetProperty("operationName", out var op))
            {
                if (op.ValueKind == JsonValueKind.String) operationName = op.GetString();
                else if (op.ValueKind != JsonValueKind.Null) return (null, new Failure(400, "The operationName parameter must be a string."));
            }
            JsonElement? variables = null;
            if (root.TryGetProperty("variables", out var vars))
            {
                if (vars.ValueKind == JsonValueKind.Object) variables = vars.Clone();
                else if (vars.ValueKind != JsonValueKind.Null) return (null, new Failure(400, "The variables parameter must be an object."));
            }
            if (root.TryGetProperty("extensions", out var ext) && ext.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                return (null, new Failure(400, "The extensions parameter must be an object."));
            return (new GraphQLRequest(query.GetString()!, operationName, variables, IsGet: false), null);
        }
    }

    private static (GraphQLRequest?, Failure?) FromQuery(IQueryCollection q)
    {
        if (q["query"].Count != 1) return (null, new Failure(400, "The query parameter is missing."));
        JsonElement? variables = null;
        if (q["variables"].ToString() is { Length: > 0 } raw)
        {
            try
            {
                using var doc = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 64 });
                if (doc.RootElement.ValueKind == JsonValueKind.Object) variables = doc.RootElement.Clone();
                else if (doc.RootElement.ValueKind != JsonValueKind.Null) return (null, new Failure(400, "The variables parameter must be a JSON object."));
            }
            catch (JsonException)
            {
                return (null, new Failure(400, "The variables parameter is not valid JSON."));
            }
        }
        if (q["extensions"].ToString() is { Length: > 0 } ext)
        {
            try
            {
                using var doc = JsonDocument.Parse(ext, new JsonDocumentOptions { MaxDepth = 64 });
                if (doc.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return (null, new Failure(400, "The extensions parameter must be a JSON object."));
            }
            catch (JsonException)
            {
                return (null, new Failure(400, "The extensions parameter is not valid JSON."));
            }
        }
        var operationName = q["operationName"].ToString();
        return (new GraphQLRequest(q["query"].ToString(), operationName.Length > 0 ? operationName : null, variables, IsGet: true), null);
    }
}
