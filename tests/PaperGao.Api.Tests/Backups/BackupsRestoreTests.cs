using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using PaperGao.Core.Backups;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>Restores: across databases, during traffic (the project pauses, nothing fails), one at a time, realtime clients dropped.</summary>
public sealed class BackupsRestoreTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_backup_restores_into_a_project_on_the_other_database(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var other = db == DatabaseKind.Sqlite ? DatabaseKind.Postgres : DatabaseKind.Sqlite;
        byte[] zip;
        await using (var source = await PaperGaoApp.StartAsync(db, postgres, ct))
        {
            var su = await source.SuperuserClientAsync(ct);
            await SeedAsync(su, ct);
            await CreateBackupAsync(su, "portable.zip", ct);
            zip = await DownloadAsync(su, source.Client, "portable.zip", ct);
        }
        await using var target = await PaperGaoApp.StartAsync(other, postgres, ct);
        var tsu = await target.SuperuserClientAsync(ct);
        var up = await UploadAsync(tsu, "portable.zip", zip, ct);
        Assert.True(up.Status == 204, up.Body.ToJsonString());
        await RestoreAsync(tsu, "portable.zip", ct);
        // The source's superuser (same email and password) and its token secret came along: sign in again.
        var token = (await PostAsync(target.Client, "/api/collections/_superusers/auth-with-password",
            new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct))["token"]!.GetValue<string>();
        using var su2 = target.CreateClient();
        su2.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        await AssertSeededAsync(su2, target.Client, ct);
        // Writes work on the restored schema (indexes, relations).
        var author = (await GetJsonAsync(su2, "/api/collections/authors/records", ct))["items"]![0]!["id"]!.GetValue<string>();
        await PostAsync(su2, "/api/collections/posts/records", new { title = "after restore", author }, ct);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Every_write_acknowledged_before_the_backup_started_is_in_it(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var postsId = (await GetJsonAsync(su, "/api/collections/posts", ct))["id"]!.GetValue<string>();
        var acked = new List<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = $"w{w}-{n++}" }, CancellationToken.None);
                Assert.Equal(200, status);
                lock (acked) acked.Add(body!["id"]!.GetValue<string>());
            }
        }, CancellationToken.None)).ToList();
        await WaitForAsync(() => { lock (acked) return acked.Count >= 40; }, ct);
        string[] before;
        lock (acked) before = [.. acked];
        await CreateBackupAsync(su, "busy.zip", ct);
        await WaitForAsync(() => { lock (acked) return acked.Count >= before.Length + 20; }, ct); // writes went on
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var zip = await DownloadAsync(su, app.Client, "busy.zip", ct);
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = new StreamReader(archive.GetEntry($"records/{postsId}.jsonl")!.Open()))
        {
            while (reader.ReadLine() is { Length: > 0 } line) ids.Add(JsonNode.Parse(line)!["id"]!.GetValue<string>());
        }
        Assert.All(before, id => Assert.Contains(id, ids));
        var manifest = JsonNode.Parse(archive.GetEntry("papergao-backup.json")!.Open())!;
        Assert.True(manifest["records"]!.GetValue<long>() >= ids.Count); // posts plus the other collections' records
        Assert.Equal(db == DatabaseKind.Sqlite ? "sqlite" : "postgres", manifest["database"]!.GetValue<string>());

        // The backup restores to exactly what it holds.
        await RestoreAsync(su, "busy.zip", ct);
        Assert.Equal(ids.Count, (await GetJsonAsync(su, "/api/collections/posts/records?perPage=1", ct))["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_restore_pauses_the_project_refuses_a_second_operation_and_drops_realtime_clients(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SeedAsync(su, ct);
        await CreateBackupAsync(su, "point.zip", ct);
        await PostAsync(su, "/api/collections/posts/records", new { title = "gone after the restore" }, ct);
        var registry = (ProjectRegistry)app.Services.GetService(typeof(ProjectRegistry))!;
        var service = (BackupService)app.Services.GetService(typeof(BackupService))!;
        var project = (await registry.GetAsync("main", ct))!;
        await using var sse = await SseStream.OpenAsync(app.Client, ct);

        // A request that stays inside the project: a hook holds it after its commit until released.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        project.Hooks.AfterCreate.Bind(async (e, next) => { await release.Task; await next(); }, tag: "authors");
        var slow = su.PostAsync("/api/collections/authors/records", System.Net.Http.Json.JsonContent.Create(new { name = "slow write" }), ct);
        await WaitForAsync(() => project.Gate.Inside > 0, ct);

        var restore = SendAsync(su, HttpMethod.Post, "/api/backups/point.zip/restore", null, ct);
        await WaitForAsync(() => project.Gate.IsPaused && service.ActiveOf("main") is not null, ct);
        var second = await SendAsync(su, HttpMethod.Post, "/api/backups", new { name = "second.zip" }, ct);
        Assert.Equal(400, second.Status);
        Assert.Contains("another backup/restore", second.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, "/api/backups/point.zip/restore", null, ct)).Status);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Delete, "/api/backups/point.zip", null, ct)).Status);
        Assert.False((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());
        var waiting = app.Client.GetAsync("/api/collections/posts/records", ct); // waits at the gate

        release.SetResult();
        using (var slowAnswer = await slow) Assert.Equal(HttpStatusCode.OK, slowAnswer.StatusCode); // finished before the swap
        var (restored, body) = await restore;
        Assert.True(restored == 204, body?.ToJsonString());
        using (var waited = await waiting) Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
        await AssertSeededAsync(su, app.Client, ct);
        var titles = (await GetJsonAsync(su, "/api/collections/posts/records", ct))["items"]!.AsArray().Select(x => x!["title"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("gone after the restore", titles);
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/authors/records", ct))["totalItems"]!.GetValue<int>()); // not "slow write"
        await sse.Ended.WaitAsync(TimeSpan.FromSeconds(10), ct); // the realtime client was disconnected
        Assert.True((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Requests_running_during_restores_never_fail_with_a_server_error(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SeedAsync(su, ct);
        await CreateBackupAsync(su, "loop.zip", ct);
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<int>();
        var load = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var r = i == 0
                    ? await app.Client.PostAsync("/api/collections/posts/records", System.Net.Http.Json.JsonContent.Create(new { title = "load" }), CancellationToken.None)
                    : await app.Client.GetAsync("/api/collections/posts/records", CancellationToken.None);
                statuses.Add((int)r.StatusCode);
                if (r.StatusCode == HttpStatusCode.ServiceUnavailable) Assert.True(r.Headers.RetryAfter is not null);
            }
        }, CancellationToken.None)).ToList();
        for (var i = 0; i < 3; i++) await RestoreAsync(su, "loop.zip", ct);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.True(s is 200 or 503, $"status {s}"));
        Assert.True((await GetJsonAsync(su, "/api/collections/posts/records?perPage=1", ct))["totalItems"]!.GetValue<int>() >= 3);
    }

    internal static Task WaitForAsync(Func<bool> condition, CancellationToken ct, int seconds = 30) =>
        Eventually.UntilAsync(condition, ct, timeout: TimeSpan.FromSeconds(seconds), every: TimeSpan.FromMilliseconds(10));
}
