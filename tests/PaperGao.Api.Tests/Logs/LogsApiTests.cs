using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Logs;

/// <summary>Request logs and the logs API (docs/logs.md, protocol.md §8).</summary>
public sealed class LogsApiTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Requests_are_logged_and_listed_with_filter_sort_view_and_stats(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        using var guest = app.CreateClient();
        guest.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "logs-test-agent/1.0");
        guest.DefaultRequestHeaders.TryAddWithoutValidation("Referer", "http://app.example/page?x=1");
        Assert.Equal(404, (await GetAsync(guest, "/api/collections/nope/records?page=2", ct)).Status);
        Assert.Equal(200, (await GetAsync(guest, "/api/health", ct)).Status);
        Assert.Equal(200, (await GetAsync(su, "/api/collections", ct)).Status);

        var notFound = await WaitForLogsAsync(su, "data.status = 404", items => items.Count >= 1, ct);
        var log = Assert.Single(notFound);
        Assert.Equal(15, log!["id"]!.GetValue<string>().Length);
        Assert.Equal(4, log["level"]!.GetValue<int>());
        Assert.Equal("GET /api/collections/nope/records?page=2", log["message"]!.GetValue<string>());
        var data = log["data"]!;
        Assert.Equal("request", data["type"]!.GetValue<string>());
        Assert.Equal("GET", data["method"]!.GetValue<string>());
        Assert.Equal("/api/collections/nope/records?page=2", data["url"]!.GetValue<string>());
        Assert.Equal("guest", data["auth"]!.GetValue<string>());
        Assert.Equal("logs-test-agent/1.0", data["userAgent"]!.GetValue<string>());
        Assert.Equal("http://app.example/page?x=1", data["referer"]!.GetValue<string>());
        Assert.Equal("Missing collection context.", data["error"]!.GetValue<string>());
        Assert.True(data["execTime"]!.GetValue<double>() >= 0);
        Assert.NotNull(data["userIP"]);
        Assert.Null(data["authId"]); // logs.logAuthId is false by default
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$", log["created"]!.GetValue<string>());

        var superuser = await WaitForLogsAsync(su, "data.auth = 'superuser' && message ~ '/api/collections'", items => items.Count >= 1, ct);
        Assert.Equal("_superusers", superuser[0]!["data"]!["authCollection"]!.GetValue<string>());
        Assert.Equal(0, superuser[0]!["level"]!.GetValue<int>());

        // Sort by a data field and by created; paging envelope.
        var byStatus = (await GetJsonAsync(su, "/api/logs?sort=-data.status,created&perPage=2&filter=" + Uri.EscapeDataString("data.auth != 'superuser'"), ct));
        Assert.Equal(2, byStatus["perPage"]!.GetValue<int>());
        Assert.True(byStatus["totalItems"]!.GetValue<int>() >= 2);
        Assert.Equal(404, byStatus["items"]![0]!["data"]!["status"]!.GetValue<int>());
        Assert.Equal(200, byStatus["items"]![1]!["data"]!["status"]!.GetValue<int>());
        var oldestFirst = (await GetJsonAsync(su, "/api/logs?sort=created&perPage=1000", ct))["items"]!.AsArray();
        var created = oldestFirst.Select(i => i!["created"]!.GetValue<string>()).ToList();
        Assert.Equal(created.Order(StringComparer.Ordinal), created);
        var level4 = (await GetJsonAsync(su, "/api/logs?filter=" + Uri.EscapeDataString("level >= 4"), ct))["items"]!.AsArray();
        Assert.All(level4, i => Assert.True(i!["data"]!["status"]!.GetValue<int>() >= 400));

        // One log by id; unknown id.
        var id = log["id"]!.GetValue<string>();
        var one = await GetJsonAsync(su, "/api/logs/" + id, ct);
        Assert.Equal(id, one["id"]!.GetValue<string>());
        Assert.Equal(404, one["data"]!["status"]!.GetValue<int>());
        var (missing, missingBody) = await GetAsync(su, "/api/logs/nosuchlog123456", ct);
        Assert.Equal(404, missing);
        Assert.Equal(404, missingBody!["status"]!.GetValue<int>());

        // Hourly stats, with and without a filter.
        var total = (await GetJsonAsync(su, "/api/logs?perPage=1", ct))["totalItems"]!.GetValue<int>();
        var stats = (await GetJsonAsync(su, "/api/logs/stats", ct)).AsArray();
        Assert.NotEmpty(stats);
        Assert.All(stats, h => Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:00:00$", h!["date"]!.GetValue<string>()));
        Assert.True(stats.Sum(h => h!["total"]!.GetValue<int>()) >= total);
        var filtered = (await GetJsonAsync(su, "/api/logs/stats?filter=" + Uri.EscapeDataString("data.status = 404 && data.auth = 'guest'"), ct)).AsArray();
        Assert.Equal(1, filtered.Sum(h => h!["total"]!.GetValue<int>()));

        // fields picks inside items like every list.
        var picked = await GetJsonAsync(su, "/api/logs?perPage=1&fields=id,data.status", ct);
        Assert.Null(picked["items"]![0]!["message"]);
        Assert.NotNull(picked["items"]![0]!["data"]!["status"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_input_and_callers_other_than_superusers_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        foreach (var filter in (string[])["data.status = ", "nosuchfield = 1", "level = 1) OR (1=1", "'; DROP TABLE _logs; --"])
        {
            var (status, body) = await GetAsync(su, "/api/logs?filter=" + Uri.EscapeDataString(filter), ct);
            Assert.True(status == 400, $"{filter}: {status} {body?.ToJsonString()}");
            Assert.Equal(400, body!["status"]!.GetValue<int>());
            Assert.Equal(400, (await GetAsync(su, "/api/logs/stats?filter=" + Uri.EscapeDataString(filter), ct)).Status);
        }
        Assert.Equal(400, (await GetAsync(su, "/api/logs?sort=nosuchfield", ct)).Status);
        Assert.Equal(400, (await GetAsync(su, "/api/logs?page=x", ct)).Status);

        foreach (var url in (string[])["/api/logs", "/api/logs/stats", "/api/logs/abc", "/api/analytics"])
        {
            var (status, body) = await GetAsync(app.Client, url, ct);
            Assert.Equal(401, status);
            Assert.Equal(401, body!["status"]!.GetValue<int>());
        }
        await Users.SignUpAsync(app, "reader@example.com", ct);
        using var user = await Users.SignedInClientAsync(app, "reader@example.com", ct);
        foreach (var url in (string[])["/api/logs", "/api/logs/stats", "/api/logs/abc", "/api/analytics"])
            Assert.Equal(403, (await GetAsync(user, url, ct)).Status);

        // The table survived the injection attempts.
        Assert.Equal(200, (await GetAsync(su, "/api/logs", ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Secrets_are_never_logged(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SendAsync(su, HttpMethod.Patch, "/api/settings", new { logs = new { logAuthId = true } }, ct);

        await Users.SignUpAsync(app, "secret@example.com", ct);
        var token = await Users.SignInAsync(app, "secret@example.com", ct);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password",
            new { identity = "secret@example.com", password = "Wrong-password-987" }, ct)).Status);
        using var user = Users.ClientWith(app, token);
        Assert.Equal(200, (await GetAsync(user, "/api/collections/users/records?token=query-secret-42&password=p4ss-in-query&sort=-created", ct)).Status);

        var all = await WaitForLogsAsync(su, "data.auth = 'auth'", items => items.Count >= 1, ct);
        var authed = all[0]!["data"]!;
        Assert.Equal("users", authed["authCollection"]!.GetValue<string>());
        Assert.Equal(15, authed["authId"]!.GetValue<string>().Length); // logAuthId = true keeps the id, never the token
        Assert.Equal("/api/collections/users/records?token=[redacted]&password=[redacted]&sort=-created", authed["url"]!.GetValue<string>());

        await WaitForLogsAsync(su, "data.url ~ 'auth-with-password'", items => items.Count >= 2, ct);
        var text = (await GetJsonAsync(su, "/api/logs?perPage=1000", ct)).ToJsonString();
        Assert.DoesNotContain(Users.Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-password-987", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(await app.SuperuserTokenAsync(ct), text, StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret-42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("p4ss-in-query", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", text, StringComparison.OrdinalIgnoreCase);
    }
}
