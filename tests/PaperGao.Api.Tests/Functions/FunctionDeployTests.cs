using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

public sealed class FunctionDeployTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Deploy_refuses_code_that_does_not_load_keeps_versions_and_rolls_back(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        (int status, JsonNode? body) = await DeployAsync(app.Client, "routerAdd('GET', '/api/v', (e) => e.string(200, 'x'))", ct);
        Assert.Equal(401, status); // superusers only

        (status, body) = await DeployAsync(su, "routerAdd('GET', '/api/v', (e) => e.string(200, 'one'))", ct);
        Assert.Equal(200, status);
        Assert.Equal(1, body!["version"]!.GetValue<long>());
        Assert.Equal((200, "one"), await GetTextAsync(app.Client, "/api/v", ct));

        (status, body) = await DeployAsync(su, "routerAdd('GET', '/api/v', (e) => e.string(200, 'two'))\n\nlet x = ;", ct);
        Assert.Equal(400, status);
        var err = body!["data"]!["files"]!;
        Assert.Equal("validation_function_load", err["code"]!.GetValue<string>());
        Assert.Contains("main.pb.js:3:", err["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal((200, "one"), await GetTextAsync(app.Client, "/api/v", ct)); // the old version keeps serving

        (status, body) = await DeployAsync(su, "throw new Error('top level')", ct);
        Assert.Equal(400, status);
        (status, body) = await DeployAsync(su, "routerAdd('GET', '/api/v', 1)", ct);
        Assert.Equal(400, status);
        (status, body) = await DeployAsync(su, "cronAdd('bad', 'not a schedule', () => {})", ct);
        Assert.Equal(400, status);
        (status, body) = await DeployAsync(su, "x", ct, file: "../escape.js");
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["files"]);
        (status, _) = await SendAsync(su, HttpMethod.Put, "/api/functions", new { files = "nope" }, ct);
        Assert.Equal(400, status);

        (status, body) = await DeployAsync(su, "routerAdd('GET', '/api/v', (e) => e.string(200, 'two'))", ct);
        Assert.Equal(2, body!["version"]!.GetValue<long>());
        Assert.Equal((200, "two"), await GetTextAsync(app.Client, "/api/v", ct));
        var versions = (await GetJsonAsync(su, "/api/functions/versions", ct)).AsArray();
        Assert.Equal([2L, 1L], versions.Select(v => v!["version"]!.GetValue<long>()));

        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/functions/rollback", new { version = 1 }, ct);
        Assert.Equal(200, status);
        Assert.Equal(3, body!["version"]!.GetValue<long>());
        Assert.Equal((200, "one"), await GetTextAsync(app.Client, "/api/v", ct));
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/functions/rollback", new { version = 99 }, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/functions/rollback", new { version = "x" }, ct);
        Assert.Equal(400, status);

        var fn = await GetJsonAsync(su, "/api/functions", ct);
        Assert.Equal("v3", fn["version"]!.GetValue<string>());
        Assert.Equal("/api/v", fn["routes"]![0]!["path"]!.GetValue<string>());

        (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new JsonObject { ["secrets"] = new JsonObject { ["bad-name"] = "x" } }, ct);
        Assert.Equal(400, status);
        (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new { allowHosts = new[] { "bad host!" } }, ct);
        Assert.Equal(400, status);
        var (s, types) = await GetTextAsync(su, "/api/functions/types.d.ts", ct);
        Assert.Equal(200, s);
        Assert.Contains("routerAdd", types, StringComparison.Ordinal);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_cli_deploys_a_folder_that_the_running_server_picks_up(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var folder = Path.Combine(app.Settings.Dir, "to-deploy");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "main.pb.js"), "routerAdd('GET', '/api/cli', (e) => e.string(200, require('./msg.js')))", ct);
        await File.WriteAllTextAsync(Path.Combine(folder, "msg.js"), "module.exports = 'from the cli'", ct);
        List<string> args = ["functions", "deploy", folder, "--dir", app.Settings.Dir];
        if (app.Settings.Db is not null) args.AddRange(["--db", app.Settings.Db]);
        Assert.Equal(0, await RunCliAsync(args, ct));
        // The server was not told: it notices the new version in the database within a second or so.
        await WaitForAsync(async () => (await GetTextAsync(app.Client, "/api/cli", ct)) == (200, "from the cli"), TimeSpan.FromSeconds(15), "the deployed route", ct);

        await File.WriteAllTextAsync(Path.Combine(folder, "main.pb.js"), "routerAdd('GET', '/api/cli', (e) => {", ct);
        Assert.Equal(1, await RunCliAsync(args, ct)); // does not load: refused, nothing stored
        var versions = (await GetJsonAsync(await app.SuperuserClientAsync(ct), "/api/functions/versions", ct)).AsArray();
        Assert.Single(versions);
    }

    private static async Task<int> RunCliAsync(List<string> args, CancellationToken ct)
    {
        return await PaperGao.Server.Program.Main([.. args]).WaitAsync(ct);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Crons_are_listed_and_run_on_demand(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await DeployAsync(su, """
            cronAdd("cleanup", "*/5 * * * *", () => { $app.save(new Record("authors", { name: "cron ran" })) })
            cronAdd("slow", "@hourly", () => { sleep(1500) })
            cronAdd("gone", "@daily", () => {})
            cronRemove("gone")
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());

        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/crons", null, ct);
        Assert.Equal(401, status);
        var crons = (await GetJsonAsync(su, "/api/crons", ct)).AsArray();
        Assert.Equal(["cleanup", "slow"], crons.Select(c => c!["id"]!.GetValue<string>()));
        Assert.Equal("*/5 * * * *", crons[0]!["expression"]!.GetValue<string>());

        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/crons/cleanup", null, ct);
        Assert.Equal(204, status);
        await WaitForAsync(async () => (await GetJsonAsync(su, "/api/collections/authors/records?filter=" + Uri.EscapeDataString("name = 'cron ran'"), ct))["totalItems"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(15), "the cron run", ct);
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/crons/missing", null, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/crons/slow", null, ct);
        Assert.Equal(204, status);
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/crons/slow", null, ct); // overlaps: skipped and logged, still 204
        Assert.Equal(204, status);
    }
}
