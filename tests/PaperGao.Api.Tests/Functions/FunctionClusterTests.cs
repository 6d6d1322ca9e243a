using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>
/// Two nodes of one cluster (two servers on one PostgreSQL database) on one fake clock that the test moves: a deploy
/// through node A runs on node B after its next refresh, and each cron tick runs on exactly one node.
/// </summary>
public sealed class FunctionClusterTests(PostgresCluster postgres)
{
    [Fact]
    public async Task A_deploy_on_one_node_reaches_the_other_and_each_cron_tick_runs_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 0, 30, TimeSpan.Zero));
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, clock, ct);
        await using var b = a.StartNode();
        var suA = await a.SuperuserClientAsync(ct);
        await CreateSchemaAsync(suA, ct);
        var (status, body) = await DeployAsync(suA, """
            routerAdd("GET", "/api/which", (e) => e.string(200, "v1"))
            cronAdd("tick", "* * * * *", () => { $app.save(new Record("authors", { name: "tick" })) })
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal((200, "v1"), await GetTextAsync(a.Client, "/api/which", ct)); // node A runs it at once
        Assert.Equal(404, (await GetTextAsync(b.Client, "/api/which", ct)).Status); // node B has not refreshed: its clock did not move

        // One second later node B has picked the deploy up.
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(async () => (await GetTextAsync(b.Client, "/api/which", ct)) == (200, "v1"), TimeSpan.FromSeconds(20), "node B to load v1", ct);

        // Minute by minute: both nodes see every tick, one of them claims it and runs the job.
        for (var minute = 1; minute <= 3; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var expected = minute;
            await WaitForAsync(async () => await TicksAsync(suA, ct) >= expected, TimeSpan.FromSeconds(30), $"cron run {minute}", ct);
        }

        // A barrier through both refresh loops (each handles ticks before its next refresh), then count again.
        (status, body) = await DeployAsync(suA, """
            routerAdd("GET", "/api/which", (e) => e.string(200, "v2"))
            cronAdd("tick", "* * * * *", () => { $app.save(new Record("authors", { name: "tick" })) })
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(async () => (await GetTextAsync(b.Client, "/api/which", ct)) == (200, "v2"), TimeSpan.FromSeconds(20), "node B to load v2", ct);
        Assert.Equal(3, await TicksAsync(suA, ct));
    }

    private static async Task<int> TicksAsync(HttpClient su, CancellationToken ct) =>
        (await GetJsonAsync(su, "/api/collections/authors/records?filter=" + Uri.EscapeDataString("name = 'tick'"), ct))["totalItems"]!.GetValue<int>();
}
