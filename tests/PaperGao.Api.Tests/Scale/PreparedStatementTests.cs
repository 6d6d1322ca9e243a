using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// PostgreSQL keeps the request path's statements prepared (PostgresConnectionTuning). A column whose type changes makes
/// a prepared SELECT of it fail ("cached plan must not change result type") unless the prepared statements go with the
/// schema change: on the node that made it and on the other nodes of the cluster.
/// </summary>
public sealed class PreparedStatementTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Reads_after_a_column_changed_type_answer_on_both_nodes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        await using var b = a.StartNode();
        using var suA = await a.SuperuserClientAsync(ct);
        using var suB = b.CreateClient(); // A's token: any node verifies it (signing in on B would upsert the superuser again)
        suB.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", await a.SuperuserTokenAsync(ct));
        await CreateSchemaAsync(suA, ct);
        var (s, created) = await SendAsync(a.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "t", views = 5 }, ct);
        Assert.True(s == 200, created?.ToJsonString());
        var url = "/api/collections/posts/records/" + created!["id"]!.GetValue<string>();
        // Each node runs the same SELECT often enough for it to be prepared on its pooled connections.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(5, (await GetJsonAsync(a.Client, url, ct))["views"]!.GetValue<int>());
            Assert.Equal(5, (await GetJsonAsync(b.Client, url, ct))["views"]!.GetValue<int>());
        }

        var collection = await GetJsonAsync(suA, "/api/collections/posts", ct);
        var fields = collection["fields"]!.AsArray();
        foreach (var f in fields) if ((string?)f!["name"] == "views") f["type"] = "text";
        (s, var changed) = await SendAsync(suA, HttpMethod.Patch, "/api/collections/posts", new JsonObject { ["fields"] = fields.DeepClone() }, ct);
        Assert.True(s == 200, changed?.ToJsonString());

        // The same SELECT text now returns a text column: served on A at once, on B once it took the schema notice.
        for (var i = 0; i < 12; i++)
        {
            var (status, body) = await SendAsync(a.Client, HttpMethod.Get, url, null, ct);
            Assert.True(status == 200, body?.ToJsonString());
            Assert.Equal("5", body!["views"]!.GetValue<string>());
        }
        await WaitForAsync(async () => (await GetJsonAsync(suB, "/api/collections/posts", ct))["fields"]!.AsArray().Any(f => (string?)f!["name"] == "views" && (string?)f["type"] == "text"),
            TimeSpan.FromSeconds(10), "node B to take the schema change", ct);
        for (var i = 0; i < 12; i++)
        {
            var (status, body) = await SendAsync(b.Client, HttpMethod.Get, url, null, ct);
            Assert.True(status == 200, body?.ToJsonString());
            Assert.Equal("5", body!["views"]!.GetValue<string>());
        }
    }
}
