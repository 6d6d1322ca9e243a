using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>Per-project limits (PATCH /api/functions/settings {limits}) and the invocation id in function log lines.</summary>
public sealed class FunctionLimitsTests(PostgresCluster postgres)
{
    private const string Work = """
        routerAdd("GET", "/api/work", (e) => { let n = 0; for (let i = 0; i < 200000; i++) n += i; return e.json(200, { n }) })
        routerAdd("GET", "/api/slow", (e) => { sleep(1500); return e.json(200, { slept: true }) })
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task A_lowered_limit_applies_to_that_project_only(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        string? dir = null;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, settings =>
        {
            dir = settings.Dir;
            return Task.CompletedTask;
        }, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, Work, ct);
        Assert.True(status == 200, body?.ToJsonString());
        // A second project with the same code (from its functions folder) and the server's limits.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "shop" }, ct)).Status);
        var shopFunctions = Path.Combine(dir!, "projects", "shop", "functions");
        Directory.CreateDirectory(shopFunctions);
        await File.WriteAllTextAsync(Path.Combine(shopFunctions, "main.pb.js"), Work, ct);
        await WaitForAsync(async () => (await GetTextAsync(app.Client, "/p/shop/api/work", ct)).Status == 200, TimeSpan.FromSeconds(15), "shop's functions", ct);
        Assert.Equal(200, (await GetTextAsync(app.Client, "/api/work", ct)).Status);

        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new { limits = new { maxStatements = 10000, timeoutSeconds = 0.5 } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(10000, body!["limits"]!["maxStatements"]!.GetValue<double>());
        Assert.Equal(10000, body["effectiveLimits"]!["maxStatements"]!.GetValue<double>());
        Assert.Equal(50_000_000, body["serverLimits"]!["maxStatements"]!.GetValue<double>());
        Assert.Equal(64, body["effectiveLimits"]!["memoryMb"]!.GetValue<double>()); // untouched

        // main: both limits now stop the calls; shop keeps the server's.
        Assert.Equal(500, (await GetTextAsync(app.Client, "/api/work", ct)).Status);
        Assert.Equal(500, (await GetTextAsync(app.Client, "/api/slow", ct)).Status);
        Assert.Equal(200, (await GetTextAsync(app.Client, "/p/shop/api/work", ct)).Status);
        Assert.Equal(200, (await GetTextAsync(app.Client, "/p/shop/api/slow", ct)).Status);
        Assert.Equal(10000, (await GetJsonAsync(su, "/api/functions/settings", ct))["effectiveLimits"]!["maxStatements"]!.GetValue<double>());

        // Bad values: 400 naming each limit; nothing changes.
        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings",
            new { limits = new JsonObject { ["maxStatements"] = 5, ["timeoutSeconds"] = 99999, ["poolSize"] = 1.5, ["memoryMb"] = "lots", ["nope"] = 1 } }, ct);
        Assert.Equal(400, status);
        var errors = body!["data"]!["limits"]!.AsObject();
        Assert.Equal(["maxStatements", "memoryMb", "nope", "poolSize", "timeoutSeconds"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal("validation_out_of_range", errors["timeoutSeconds"]!["code"]!.GetValue<string>());
        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new { limits = 3 }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["limits"]);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Patch, "/api/functions/settings", new { limits = new { poolSize = 1 } }, ct)).Status);
        Assert.Equal(10000, (await GetJsonAsync(su, "/api/functions/settings", ct))["limits"]!["maxStatements"]!.GetValue<double>());

        // null removes an override: the server's limit applies again.
        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new JsonObject { ["limits"] = new JsonObject { ["maxStatements"] = null, ["timeoutSeconds"] = null } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Empty(body!["limits"]!.AsObject());
        Assert.Equal(200, (await GetTextAsync(app.Client, "/api/work", ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Every_log_line_of_a_call_carries_its_invocation_id(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, """
            routerAdd("GET", "/api/logged/{tag}", (e) => {
              const tag = e.request.pathValue("tag")
              console.log("first " + tag)
              $app.logger().info("second " + tag, "k", 1)
              if (tag.startsWith("fail")) throw new Error("third " + tag)
              return e.json(200, { ok: true })
            })
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(200, (await GetTextAsync(app.Client, "/api/logged/a", ct)).Status);
        Assert.Equal(200, (await GetTextAsync(app.Client, "/api/logged/b", ct)).Status);
        Assert.Equal(500, (await GetTextAsync(app.Client, "/api/logged/fail1", ct)).Status);

        var items = await WaitForLogsAsync(su, "data.type = 'function'", x => x.Count >= 7, ct);
        string Invocation(string message) =>
            items.Single(i => i!["message"]!.GetValue<string>().Contains(message, StringComparison.Ordinal))!["data"]!["invocation"]!.GetValue<string>();
        var a = Invocation("first a");
        Assert.Matches("^[a-z0-9]{12}$", a);
        Assert.Equal(a, Invocation("second a"));
        var b = Invocation("first b");
        Assert.NotEqual(a, b);
        Assert.Equal(b, Invocation("second b"));
        // The failed call's error line (file, line, message) is in the same invocation as its other lines.
        var fail = Invocation("first fail1");
        Assert.Equal(fail, Invocation("second fail1"));
        var error = items.Single(i => i!["message"]!.GetValue<string>().Contains("third fail1", StringComparison.Ordinal))!;
        Assert.Equal(fail, error["data"]!["invocation"]!.GetValue<string>());
        Assert.StartsWith("main.pb.js:5:", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("GET /api/logged/{tag}", error["data"]!["function"]!.GetValue<string>());
        Assert.Equal("GET /api/logged/{tag}", items.First(i => i!["message"]!.GetValue<string>() == "first a")!["data"]!["function"]!.GetValue<string>());
        Assert.Equal("console", items.First(i => i!["message"]!.GetValue<string>() == "first a")!["data"]!["source"]!.GetValue<string>());
    }
}
