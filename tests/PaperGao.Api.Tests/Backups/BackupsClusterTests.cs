using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using PaperGao.Core.Backups;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Backups.BackupsRestoreTests;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>
/// Backups beyond one process: two server nodes on one PostgreSQL database (one backup or restore at a time across
/// them, one node takes each scheduled backup, settings and restores on A are reloaded by B), and two processes on one
/// SQLite data dir.
/// </summary>
public sealed class BackupsClusterTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Two_nodes_take_one_backup_at_a_time_and_a_restore_on_A_is_reloaded_by_B()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var suA = await a.SuperuserClientAsync(ct);
        await using var b = new SecondNode(a.Settings.Db!);
        var suB = await b.SuperuserClientAsync(ct);
        await CreateAsync(suA, new JsonObject { ["name"] = "notes", ["type"] = "base", ["listRule"] = "", ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }) }, ct);
        await PostAsync(suA, "/api/collections/notes/records", new { text = "one" }, ct);
        await Eventually.UntilAsync(async () => (await SendAsync(suB, HttpMethod.Get, "/api/collections/notes/records", null, ct)).Status == 200, ct);
        var appNameOnB = (await GetJsonAsync(suB, "/api/settings", ct))["meta"]!["appName"]!.GetValue<string>();
        Assert.Equal(200, (await SendAsync(suA, HttpMethod.Patch, "/api/settings", new { meta = new { appName = "restored-app" } }, ct)).Status);

        // A's backup is held after its snapshot: B may neither back up nor restore meanwhile.
        var serviceA = (BackupService)a.Services.GetService(typeof(BackupService))!;
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        serviceA.AfterSnapshot = async _ => { inside.TrySetResult(); await release.Task; };
        var backupOnA = SendAsync(suA, HttpMethod.Post, "/api/backups", new { name = "a.zip" }, ct);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var refused = await SendAsync(suB, HttpMethod.Post, "/api/backups", new { name = "b.zip" }, ct);
        Assert.Equal(400, refused.Status);
        Assert.Contains("another backup/restore", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, (await SendAsync(suB, HttpMethod.Post, "/api/backups/b.zip/restore", null, ct)).Status);
        release.SetResult();
        Assert.Equal(204, (await backupOnA).Status);
        serviceA.AfterSnapshot = null;
        await CreateBackupAsync(suB, "b.zip", ct); // free again

        // After the backup, on A: another app name, a new collection (B learns it), a new record.
        Assert.Equal(200, (await SendAsync(suA, HttpMethod.Patch, "/api/settings", new { meta = new { appName = "later-app" } }, ct)).Status);
        await CreateAsync(suA, new JsonObject { ["name"] = "later", ["type"] = "base" }, ct);
        await PostAsync(suA, "/api/collections/notes/records", new { text = "two" }, ct);
        await Eventually.UntilAsync(async () => (await SendAsync(suB, HttpMethod.Get, "/api/collections/later", null, ct)).Status == 200, ct);
        await using var sseOnB = await SseStream.OpenAsync(b.CreateClient(), ct);

        await RestoreAsync(suA, "a.zip", ct);
        // B reloads the project: the collection made after the backup is gone, the settings are the backup's, its realtime clients dropped.
        Assert.NotEqual("restored-app", appNameOnB); // B never saw A's settings change before the restore
        await Eventually.UntilAsync(async () => (await GetJsonAsync(suB, "/api/settings", ct))["meta"]!["appName"]!.GetValue<string>() == "restored-app", ct);
        Assert.Equal(404, (await SendAsync(suB, HttpMethod.Get, "/api/collections/later", null, ct)).Status);
        var notes = await GetJsonAsync(suB, "/api/collections/notes/records", ct);
        Assert.Equal(["one"], notes["items"]!.AsArray().Select(n => n!["text"]!.GetValue<string>()));
        await sseOnB.Ended.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task Exactly_one_of_two_nodes_takes_each_scheduled_backup()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var suA = await a.SuperuserClientAsync(ct);
        await using var b = new SecondNode(a.Settings.Db!);
        var nodes = new[] { a.Services, b.Services }.Select(s => (Service: (BackupService)s.GetService(typeof(BackupService))!, Registry: (ProjectRegistry)s.GetService(typeof(ProjectRegistry))!)).ToList();
        var projects = new List<Project>();
        foreach (var (_, registry) in nodes) projects.Add((await registry.GetAsync("main", ct))!);
        Assert.Null(BackupSchedule.Of(projects[1]));
        // The schedule is set on A; B, which has the project open, learns it through the bus.
        Assert.Equal(200, (await SendAsync(suA, HttpMethod.Patch, "/api/settings", new { backups = new { cron = "0 3 * * *", cronMaxKeep = 5 } }, ct)).Status);
        await Eventually.UntilAsync(() => Task.FromResult(BackupSchedule.Of(projects[1]) is not null), ct);

        var start = new DateTimeOffset(2031, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Null(await BackupSchedule.RunIfDueAsync(nodes[0].Service, projects[0], start, ct)); // the schedule starts now
        var taken = new List<string>();
        for (var day = 1; day <= 3; day++)
        {
            var at = start.AddDays(day).AddHours(-8.5); // 03:30
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => BackupSchedule.RunIfDueAsync(nodes[i].Service, projects[i], at, ct)));
            taken.Add(Assert.Single(results, r => r is not null)!);
        }
        Assert.Equal(3, taken.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_second_process_on_the_same_SQLite_data_dir_is_refused_while_a_backup_runs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var service = (BackupService)app.Services.GetService(typeof(BackupService))!;
        var inside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.AfterSnapshot = async _ => { inside.TrySetResult(); await release.Task; };
        var running = SendAsync(su, HttpMethod.Post, "/api/backups", new { name = "server.zip" }, ct);
        await inside.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // What "papergao backup create" does beside the running server: its own registry and service on the data dir.
        await using (var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = app.Settings.Dir })))
        {
            var project = (await registry.GetAsync("main", ct))!;
            var cli = new BackupService(registry);
            var e = await Assert.ThrowsAsync<ApiError>(() => cli.CreateAsync(project, "cli.zip", ct));
            Assert.Equal(400, e.Status);
            release.SetResult();
            Assert.Equal(204, (await running).Status);
            await cli.CreateAsync(project, "cli.zip", ct); // free once the server's backup is done
        }
        var keys = (await GetJsonAsync(su, "/api/backups", ct)).AsArray().Select(x => x!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["cli.zip", "server.zip"], keys);
    }

    /// <summary>A second in-process server on the first one's PostgreSQL database with its own data dir (a cluster node).</summary>
    private sealed class SecondNode(string db) : IAsyncDisposable
    {
        private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "papergao-node-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        private PaperGaoFactory? _host;

        private PaperGaoFactory Host => _host ??= new PaperGaoFactory(new PaperGaoHostSettings(_dir, db));

        public IServiceProvider Services => Host.Services;

        public HttpClient CreateClient() => Host.CreateClient();

        /// <summary>Signs in as the first node's superuser (the same account: one database).</summary>
        public async Task<HttpClient> SuperuserClientAsync(CancellationToken ct)
        {
            var client = CreateClient();
            using var r = await client.PostAsJsonAsync("/api/collections/_superusers/auth-with-password",
                new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct);
            r.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>());
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            if (_host is not null) await _host.DisposeAsync();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
