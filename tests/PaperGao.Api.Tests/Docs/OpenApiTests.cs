using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Docs;

public sealed class OpenApiTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task The_openapi_document_lists_every_route(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var docResponse = await app.Client.GetAsync("/api/openapi.json", ct);
        var text = await docResponse.Content.ReadAsStringAsync(ct);
        Assert.True(docResponse.IsSuccessStatusCode && text.Length > 0, $"{(int)docResponse.StatusCode} {docResponse.Content.Headers.ContentType} [{text}]");
        var doc = JsonNode.Parse(text)!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var expected in new[] { "/api/health", "/api/health/ready", "/api/batch", "/api/settings", "/api/collections", "/api/collections/{collection}/records",
                     "/api/collections/{collection}/records/{id}", "/api/collections/{collection}/auth-with-password", "/api/platform/projects",
                     "/api/settings/test/email", "/api/keys", "/api/collections/{collection}/request-otp", "/api/collections/{collection}/auth-with-oauth2",
                     "/api/collections/{collection}/impersonate/{id}", "/api/collections/{collection}/request-password-reset",
                     "/api/logs", "/api/logs/{id}", "/api/logs/stats", "/api/analytics", "/api/setup",
                     "/api/files/token", "/api/files/usage", "/api/files/{collection}/{recordId}/{filename}",
                     "/api/files/uploads", "/api/files/uploads/{id}" })
        {
            Assert.Contains(expected, paths);
        }
        Assert.Equal("ListRecords", doc["paths"]!["/api/collections/{collection}/records"]!["get"]!["operationId"]!.GetValue<string>());
        // Every list that takes estimateTotal says so.
        foreach (var list in (string[])["/api/collections/{collection}/records", "/api/collections", "/api/logs"])
            Assert.Contains("estimateTotal", doc["paths"]![list]!["get"]!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        // Unknown paths and methods keep the JSON 404 envelope.
        using var r = await app.Client.GetAsync("/api/openapi.yaml", ct);
        Assert.Equal(404, (int)r.StatusCode);
        Assert.Equal(404, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
        using var wrongMethod = await app.Client.PutAsync("/api/health", null, ct);
        Assert.Equal(404, (int)wrongMethod.StatusCode);
    }
}
