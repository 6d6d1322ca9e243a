using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Logs;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Logs;

/// <summary>settings.logs: maxDays retention, minLevel, logIP (docs/logs.md).</summary>
public sealed class LogRetentionTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Logs_older_than_maxDays_are_deleted_when_the_setting_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        // Let the writer handle this project once (its first cleanup runs before that batch is visible).
        Assert.Equal(200, (await GetAsync(app.Client, "/api/health?probe=first", ct)).Status);
        await WaitForLogsAsync(su, "data.url ~ 'probe=first'", items => items.Count == 1, ct);
        var project = await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct);
        var store = await app.Services.GetRequiredService<LogStores>().GetAsync(project!);
        var now = DateTimeOffset.UtcNow;
        LogRow Row(string id, int daysAgo) => new(id, DateTimes.Format(now.AddDays(-daysAgo)), 0, "GET /old", """{"type":"request","status":200}""");
        await store.WriteAsync([Row("old000000000010", 10), Row("mid000000000004", 4), Row("new000000000001", 1)], [], ct);
        foreach (var id in (string[])["old000000000010", "mid000000000004", "new000000000001"])
            Assert.Equal(200, (await GetAsync(su, "/api/logs/" + id, ct)).Status);

        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { logs = new { maxDays = 3 } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        // The next batch the writer handles runs the cleanup under the new settings.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await GetAsync(su, "/api/logs/mid000000000004", ct)).Status != 404)
        {
            Assert.True(DateTime.UtcNow < deadline, "the 4-day-old log was never deleted");
            await Task.Delay(25, ct);
        }
        Assert.Equal(404, (await GetAsync(su, "/api/logs/old000000000010", ct)).Status);
        Assert.Equal(200, (await GetAsync(su, "/api/logs/new000000000001", ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task MinLevel_logIP_and_maxDays_zero_decide_what_is_stored(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { logs = new { minLevel = 4, logIP = false } }, ct)).Status);

        Assert.Equal(200, (await GetAsync(app.Client, "/api/health?probe=info", ct)).Status);
        Assert.Equal(404, (await GetAsync(app.Client, "/api/collections/nope/records?probe=warn", ct)).Status);
        var warn = await WaitForLogsAsync(su, "data.url ~ 'probe=warn'", items => items.Count == 1, ct);
        Assert.Null(warn[0]!["data"]!["userIP"]);
        Assert.Null(warn[0]!["data"]!["remoteIP"]);
        // Written in order by one writer: once the later 404 is there, the 200 would be too.
        Assert.Empty((await GetJsonAsync(su, "/api/logs?filter=" + Uri.EscapeDataString("data.url ~ 'probe=info'"), ct))["items"]!.AsArray());

        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { logs = new { maxDays = 0, minLevel = 0 } }, ct)).Status);
        Assert.Equal(404, (await GetAsync(app.Client, "/api/collections/nope/records?probe=off", ct)).Status);
        // maxDays 0 stores nothing, yet the request still counts in the per-minute aggregates.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var minutes = (await GetJsonAsync(su, "/api/analytics", ct))["minutes"]!.AsArray();
            if (minutes.Sum(m => m!["clientErrors"]!.GetValue<int>()) >= 2) break;
            Assert.True(DateTime.UtcNow < deadline, "the 404s never reached the minute aggregates");
            await Task.Delay(25, ct);
        }
        Assert.Empty((await GetJsonAsync(su, "/api/logs", ct))["items"]!.AsArray());
    }
}
