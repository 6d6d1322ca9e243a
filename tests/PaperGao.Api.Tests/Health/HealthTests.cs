using System.Net;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Health;

public sealed class HealthTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Get_health_answers_healthy(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);

        using var response = await app.Client.GetAsync("/api/health", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        var expected = JsonNode.Parse("""{"message":"API is healthy.","code":200,"data":{}}""");
        Assert.True(JsonNode.DeepEquals(expected, body), $"unexpected body: {body?.ToJsonString()}");
    }
}
