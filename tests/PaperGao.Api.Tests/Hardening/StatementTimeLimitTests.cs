using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>Every statement runs under a time limit and the caller's cancellation (docs/security.md, "Statement time limits").</summary>
public sealed class StatementTimeLimitTests(PostgresCluster postgres)
{
    private const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT CAST(x AS TEXT) AS id FROM c";

    private static async Task<Project> MainAsync(PaperGaoApp app, CancellationToken ct) =>
        (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;

    private static Task CreateViewAsync(HttpClient su, string name, string query, CancellationToken ct) =>
        CreateAsync(su, new JsonObject { ["name"] = name, ["type"] = "view", ["listRule"] = "", ["viewRule"] = "", ["viewQuery"] = query }, ct);

    [Theory]
    [DatabaseMatrix]
    public async Task An_endless_view_query_ends_with_a_clean_400_and_the_server_keeps_answering(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateViewAsync(su, "endless", Endless, ct);
        (await MainAsync(app, ct)).Database.StatementTimeout = TimeSpan.FromSeconds(1);

        var watch = Stopwatch.StartNew();
        using var r = await app.Client.GetAsync("/api/collections/endless/records", ct);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(400, (int)r.StatusCode);
        Assert.Equal(400, body["status"]!.GetValue<int>());
        Assert.Contains("time limit", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");

        // The connection is healthy afterwards; the view can be deleted and everything else still works.
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/health", null, ct)).Status);
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/collections/endless", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Get, "/api/collections?perPage=1", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Shutdown_completes_while_an_endless_query_runs_without_a_limit(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        Task<HttpResponseMessage>? pending = null;
        try
        {
            var su = await app.SuperuserClientAsync(ct);
            await CreateViewAsync(su, "endless", Endless, ct);
            (await MainAsync(app, ct)).Database.StatementTimeout = TimeSpan.Zero;
            pending = app.Client.GetAsync("/api/collections/endless/records", ct);
        }
        finally
        {
            var watch = Stopwatch.StartNew();
            await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"shutdown took {watch.Elapsed}");
        }
        // The request ended one way or another (an error answer or a broken connection), it did not hang.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var r = await pending!.WaitAsync(TimeSpan.FromSeconds(30), ct);
            throw new InvalidOperationException("answered " + (int)r.StatusCode);
        });
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Views_calling_refused_or_oversized_functions_answer_400_not_500(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var queries = db == DatabaseKind.Sqlite
            ? new[] { "SELECT id, load_extension('/tmp/x') AS v FROM _superusers", "SELECT id, zeroblob(2e9) AS v FROM _superusers", "SELECT id, length(randomblob(2000000000)) AS v FROM _superusers" }
            : new[] { "SELECT id, pg_read_file('/etc/passwd') AS v FROM _superusers", "SELECT id, repeat('x', 2000000000) AS v FROM _superusers", "SELECT id, 1/0 AS v FROM _superusers" };
        for (var i = 0; i < queries.Length; i++)
        {
            using var create = await su.PostAsJsonAsync("/api/collections", new JsonObject { ["name"] = "v" + i, ["type"] = "view", ["listRule"] = "", ["viewQuery"] = queries[i] }, ct);
            // Refused when created, or refused when listed: never a 500.
            Assert.True((int)create.StatusCode is 200 or 400, $"create {queries[i]}: {(int)create.StatusCode} {await create.Content.ReadAsStringAsync(ct)}");
            if ((int)create.StatusCode != 200) continue;
            using var list = await app.Client.GetAsync($"/api/collections/v{i}/records", ct);
            var text = await list.Content.ReadAsStringAsync(ct);
            Assert.True((int)list.StatusCode is 200 or 400, $"list {queries[i]}: {(int)list.StatusCode} {text}");
            Assert.Equal((int)list.StatusCode, JsonNode.Parse(text)!["status"]?.GetValue<int>() ?? 200);
        }
    }
}
