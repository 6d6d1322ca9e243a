using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Logs;

/// <summary>GET /api/analytics: per-minute request figures, sign-ups, storage, realtime (docs/logs.md).</summary>
public sealed class AnalyticsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Analytics_reports_requests_per_minute_signups_and_storage(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await Users.SignUpAsync(app, "one@example.com", ct);
        await Users.SignUpAsync(app, "two@example.com", ct);
        for (var i = 0; i < 5; i++) Assert.Equal(200, (await GetAsync(app.Client, "/api/health", ct)).Status);
        Assert.Equal(404, (await GetAsync(app.Client, "/api/collections/nope/records", ct)).Status);

        // One stored file (bytes the storage reports) and one open realtime stream (the broker's count).
        var project = await app.Services.GetRequiredService<PaperGao.Core.Projects.ProjectRegistry>().GetAsync("main", ct);
        await project!.Storage.WriteAsync("c1234567890abcd/r1234567890abcd/a_0123456789.txt", new MemoryStream(new byte[1234]), "text/plain", ct);
        await using var stream = await PaperGao.Api.Tests.Realtime.SseStream.OpenAsync(app.CreateClient(), ct);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        System.Text.Json.Nodes.JsonNode report;
        while (true)
        {
            report = await GetJsonAsync(su, "/api/analytics", ct);
            if (report["minutes"]!.AsArray().Sum(m => m!["requests"]!.GetValue<int>()) >= 8) break;
            Assert.True(DateTime.UtcNow < deadline, "requests never reached the minute aggregates: " + report.ToJsonString());
            await Task.Delay(25, ct);
        }
        var minutes = report["minutes"]!.AsArray();
        Assert.Equal(60, minutes.Count);
        var busy = minutes.Where(m => m!["requests"]!.GetValue<int>() > 0).ToList();
        Assert.NotEmpty(busy);
        Assert.All(busy, m =>
        {
            Assert.True(m!["p50"]!.GetValue<double>() > 0);
            Assert.True(m["p95"]!.GetValue<double>() >= m["p50"]!.GetValue<double>());
            Assert.True(m["max"]!.GetValue<double>() >= m["p95"]!.GetValue<double>(), m.ToJsonString());
        });
        Assert.True(busy.Sum(m => m!["clientErrors"]!.GetValue<int>()) >= 1);
        Assert.Equal(0, busy.Sum(m => m!["errors"]!.GetValue<int>()));
        Assert.Equal(0, minutes[0]!["requests"]!.GetValue<int>());

        var signups = report["signups"]!.AsArray();
        Assert.Equal(30, signups.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), signups[^1]!["date"]!.GetValue<string>());
        Assert.Equal(2, signups.Sum(s => s!["count"]!.GetValue<int>())); // the superuser is not a sign-up

        Assert.True(report["storage"]!["database"]!.GetValue<long>() > 0);
        Assert.True(report["storage"]!["logs"]!.GetValue<long>() > 0);
        Assert.Equal(1234, report["storage"]!["files"]!.GetValue<long>());
        Assert.Equal(1, report["realtime"]!["connections"]!.GetValue<int>());
        Assert.Equal(0, report["logQueue"]!["dropped"]!.GetValue<int>());

        // An explicit range and day count.
        var ranged = await GetJsonAsync(su, "/api/analytics?from=2026-01-01%2010:00:00.000Z&to=2026-01-01%2010:05:30.000Z&days=7", ct);
        Assert.Equal("2026-01-01 10:00:00.000Z", ranged["from"]!.GetValue<string>());
        Assert.Equal(5, ranged["minutes"]!.AsArray().Count);
        Assert.Equal(7, ranged["signups"]!.AsArray().Count);

        // Bad input.
        foreach (var (query, field) in new[] { ("from=yesterday", "from"), ("to=2026-13-40", "to"), ("from=2026-01-02&to=2026-01-01", "from"),
                                              ("from=2026-01-01&to=2026-02-01", "to"), ("days=0", "days"), ("days=abc", "days"), ("days=367", "days") })
        {
            var (status, body) = await GetAsync(su, "/api/analytics?" + query, ct);
            Assert.True(status == 400, $"{query}: {status}");
            Assert.NotNull(body!["data"]![field]);
        }
    }
}
