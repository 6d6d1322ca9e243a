using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Durability;

/// <summary>The real server process: kill -9 loses no acknowledged write; SIGTERM drains and closes the database cleanly.</summary>
public sealed class CrashAndShutdownTests(PostgresCluster postgres)
{
    private const string Email = "admin@crash.test";
    private const string Password = "Crash-test-123";

    [Theory]
    [DatabaseMatrix]
    public async Task Kill_9_during_writes_keeps_every_acknowledged_write(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, database) = await PrepareAsync(db, ct);
        await using var _ = database;
        var cs = database?.ConnectionString;
        var acknowledged = new ConcurrentBag<string>();
        await using (var server = await ServerProcess.StartAsync(dir, cs, ct))
        {
            using var su = await SignInAsync(server.BaseUrl, ct);
            await CreatePublicCollectionAsync(su, ct);
            using var guest = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        using var r = await guest.PostAsJsonAsync("/api/collections/notes/records", new { text = $"w{w}-{i}" }, CancellationToken.None);
                        if (r.IsSuccessStatusCode)
                            acknowledged.Add(JsonNode.Parse(await r.Content.ReadAsStringAsync(CancellationToken.None))!["id"]!.GetValue<string>());
                    }
                    catch (HttpRequestException) { return; }
                    catch (TaskCanceledException) { return; }
                }
            }, CancellationToken.None)).ToArray();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (acknowledged.Count < 300 && DateTime.UtcNow < deadline) await Task.Delay(10, ct);
            server.Kill();
            await server.WaitForExitAsync(ct);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} writes were acknowledged before the kill");

        await using var restarted = await ServerProcess.StartAsync(dir, cs, ct);
        using var su2 = await SignInAsync(restarted.BaseUrl, ct);
        var ids = new HashSet<string>();
        for (var page = 1; ; page++)
        {
            var list = JsonNode.Parse(await su2.GetStringAsync($"/api/collections/notes/records?perPage=1000&page={page}&skipTotal=1&fields=id", ct))!;
            var items = list["items"]!.AsArray();
            foreach (var item in items) ids.Add(item!["id"]!.GetValue<string>());
            if (items.Count < 1000) break;
        }
        var missing = acknowledged.Where(id => !ids.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged writes lost, e.g. {string.Join(",", missing.Take(5))}");
    }

    [Fact]
    public async Task Sigterm_drains_and_closes_sqlite_cleanly()
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, _) = await PrepareAsync(DatabaseKind.Sqlite, ct);
        await using var server = await ServerProcess.StartAsync(dir, null, ct);
        using (var su = await SignInAsync(server.BaseUrl, ct)) await CreatePublicCollectionAsync(su, ct);
        using var guest = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var inFlight = Enumerable.Range(0, 50).Select(i => guest.PostAsJsonAsync("/api/collections/notes/records", new { text = $"t{i}" }, ct)).ToArray();
        await Task.Delay(5, ct);
        server.Terminate();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(40));
        await server.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, server.ExitCode);
        foreach (var t in inFlight)
        {
            // A request either completed, or was refused before it started; never a 5xx.
            try { using var r = await t; Assert.True((int)r.StatusCode < 500, $"status {(int)r.StatusCode}"); }
            catch (HttpRequestException) { }
        }
        var wal = Path.Combine(dir, "projects", "main", "data.db-wal");
        Assert.True(!File.Exists(wal) || new FileInfo(wal).Length == 0, "the WAL was not checkpointed on shutdown");
    }

    private async Task<(string Dir, TestDatabase? Database)> PrepareAsync(DatabaseKind db, CancellationToken ct)
    {
        var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var dir = Path.Combine(Path.GetTempPath(), "papergao-crash-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        await ServerProcess.RunCliAsync(ct, ["superuser", "upsert", Email, Password, "--dir", dir, .. ServerProcess.DbArgs(database?.ConnectionString)]);
        return (dir, database);
    }

    private static async Task<HttpClient> SignInAsync(string baseUrl, CancellationToken ct)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        using var r = await client.PostAsJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = Email, password = Password }, ct);
        r.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    private static async Task CreatePublicCollectionAsync(HttpClient su, CancellationToken ct)
    {
        using var r = await su.PostAsJsonAsync("/api/collections", new
        {
            name = "notes", type = "base", listRule = "", viewRule = "", createRule = "",
            fields = new object[] { new { name = "text", type = "text" } },
        }, ct);
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync(ct));
    }
}
