using System.Net;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Health;

/// <summary>
/// GET/HEAD /api/health/ready, the readiness probe: 200 while the project's database answers, 503 in the error envelope
/// while it does not (a PostgreSQL cluster stopped with pg_ctl), 200 again once it is back. /api/health (liveness) stays 200.
/// </summary>
public sealed class ReadinessTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Ready_answers_200_while_the_database_answers(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);

        using var response = await app.Client.GetAsync("/api/health/ready", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"message":"API is ready.","code":200,"data":{}}"""), body), body?.ToJsonString());

        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/health/ready"), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        // Another project's database, through its path prefix.
        using var other = await app.Client.GetAsync("/p/main/api/health/ready", ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_requests_get_the_404_envelope(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/health/ready"), (HttpMethod.Delete, "/api/health/ready"),
                     (HttpMethod.Get, "/p/no-such-project/api/health/ready"), (HttpMethod.Get, "/p/BAD%20NAME/api/health/ready"), (HttpMethod.Get, "/api/health/ready/x") })
        {
            using var r = await app.Client.SendAsync(new HttpRequestMessage(method, path), ct);
            Assert.True(r.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)r.StatusCode}");
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
            Assert.Equal(404, body["status"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Not_ready_while_the_PostgreSQL_cluster_is_stopped_and_ready_again_after_it_restarts()
    {
        var ct = TestContext.Current.CancellationToken;
        var bins = PostgresBinaries.Find(out var reason);
        if (bins is null)
        {
            if (PostgresCluster.Required) Assert.Fail("PostgreSQL binaries not found: " + reason);
            Assert.Skip("PostgreSQL binaries not found: " + reason);
        }
        // A cluster of its own: this test stops it.
        await using var cluster = await ThrowawayPostgres.StartAsync(bins!);
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "papergao-ready-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        try
        {
            await using var host = new PaperGaoFactory(new PaperGaoHostSettings(dir, cluster.AdminConnectionString));
            var client = host.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health/ready", ct)).StatusCode);

            await cluster.StopAsync();
            using (var r = await client.GetAsync("/api/health/ready", ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct));
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"data":{},"message":"The database did not answer.","status":503}"""), body), body?.ToJsonString());
            }
            using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/health/ready"), ct))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, head.StatusCode);
            // Liveness does not ask the database: the process is fine, a restart would not help.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health", ct)).StatusCode);

            await cluster.StartAgainAsync();
            // Connections broken by the stop may fail once more; ready again within a deadline.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                using var r = await client.GetAsync("/api/health/ready", ct);
                if (r.StatusCode == HttpStatusCode.OK) break;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                Assert.True(DateTime.UtcNow < deadline, "not ready again 30 s after PostgreSQL restarted");
                await Task.Delay(100, ct);
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
