using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Durability;

/// <summary>
/// Backups with the real executable: `papergao backup create|restore` on a stopped server, and kill -9 during a backup
/// (no partial zip under a valid name, the project intact, the next backup works).
/// </summary>
public sealed class BackupProcessTests(PostgresCluster postgres)
{
    private const string Email = "admin@backup.test";
    private const string Password = "Backup-test-123";

    [Theory]
    [DatabaseMatrix]
    public async Task The_cli_creates_and_restores_a_backup(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, database) = await PrepareAsync(db, ct);
        await using var _ = database;
        var cs = database?.ConnectionString;
        await using (var server = await ServerProcess.StartAsync(dir, cs, ct))
        {
            using var su = await SignInAsync(server.BaseUrl, ct);
            await CreateNotesAsync(su, ct);
            await PostAsync(su, "/api/collections/notes/records", new { text = "kept" }, ct);
            server.Terminate();
            await server.WaitForExitAsync(ct);
        }
        await ServerProcess.RunCliAsync(ct, ["backup", "create", "cli.zip", "--dir", dir, .. ServerProcess.DbArgs(cs)]);
        Assert.True(File.Exists(Path.Combine(dir, "projects", "main", "backups", "cli.zip")));

        await using (var server = await ServerProcess.StartAsync(dir, cs, ct))
        {
            using var su = await SignInAsync(server.BaseUrl, ct);
            Assert.Equal("cli.zip", JsonNode.Parse(await su.GetStringAsync("/api/backups", ct))![0]!["key"]!.GetValue<string>());
            await PostAsync(su, "/api/collections/notes/records", new { text = "dropped by the restore" }, ct);
            server.Terminate();
            await server.WaitForExitAsync(ct);
        }
        await ServerProcess.RunCliAsync(ct, ["backup", "restore", "cli.zip", "--dir", dir, .. ServerProcess.DbArgs(cs)]);

        await using (var server = await ServerProcess.StartAsync(dir, cs, ct))
        {
            using var su = await SignInAsync(server.BaseUrl, ct);
            var list = JsonNode.Parse(await su.GetStringAsync("/api/collections/notes/records", ct))!;
            Assert.Equal("kept", Assert.Single(list["items"]!.AsArray())!["text"]!.GetValue<string>());
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Kill_9_during_a_backup_leaves_no_zip_under_a_valid_name_and_the_project_intact(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (dir, database) = await PrepareAsync(db, ct);
        await using var _ = database;
        var cs = database?.ConnectionString;
        var backups = Path.Combine(dir, "projects", "main", "backups");
        await using (var server = await ServerProcess.StartAsync(dir, cs, ct))
        {
            using var su = await SignInAsync(server.BaseUrl, ct);
            await CreateNotesAsync(su, ct);
            for (var i = 0; i < 20; i++) await PostAsync(su, "/api/collections/notes/records", new { text = "n" + i }, ct);
            // A large file of a real record (random, so it does not compress) makes the backup run long enough to be
            // killed: backups copy only referenced files, so the record is uploaded small and its stored file grown.
            var big = await UploadRecordFileAsync(su, dir, ct);
            var block = new byte[1 << 20];
            await using (var fs = File.Create(big))
            {
                for (var i = 0; i < 256; i++)
                {
                    Random.Shared.NextBytes(block);
                    await fs.WriteAsync(block, ct);
                }
            }
            var create = su.PostAsJsonAsync("/api/backups", new { name = "killed.zip" }, ct);
            var tmp = Path.Combine(backups, ".tmp");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(Directory.Exists(tmp) && Directory.EnumerateFiles(tmp).Any(f => new FileInfo(f).Length > 0)))
            {
                Assert.True(DateTime.UtcNow < deadline, "the backup never started writing");
                Assert.False(create.IsCompleted, "the backup finished before it could be killed");
                await Task.Delay(5, ct);
            }
            server.Kill();
            await server.WaitForExitAsync(ct);
            try { using var r = await create; } catch (HttpRequestException) { } catch (TaskCanceledException) { }
        }
        Assert.False(File.Exists(Path.Combine(backups, "killed.zip")), "a partial backup is stored under its name");

        await using var restarted = await ServerProcess.StartAsync(dir, cs, ct);
        using var su2 = await SignInAsync(restarted.BaseUrl, ct);
        Assert.Empty(JsonNode.Parse(await su2.GetStringAsync("/api/backups", ct))!.AsArray());
        Assert.Equal(20, JsonNode.Parse(await su2.GetStringAsync("/api/collections/notes/records?perPage=1", ct))!["totalItems"]!.GetValue<int>());
        await PostAsync(su2, "/api/backups", new { name = "after.zip" }, ct);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(backups, ".tmp"))); // the crashed backup's temporary file was swept
        Assert.Equal("after.zip", JsonNode.Parse(await su2.GetStringAsync("/api/backups", ct))![0]!["key"]!.GetValue<string>());
    }

    private async Task<(string Dir, TestDatabase? Database)> PrepareAsync(DatabaseKind db, CancellationToken ct)
    {
        var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var dir = Path.Combine(Path.GetTempPath(), "papergao-backup-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        await ServerProcess.RunCliAsync(ct, ["superuser", "upsert", Email, Password, "--dir", dir, .. ServerProcess.DbArgs(database?.ConnectionString)]);
        return (dir, database);
    }

    private static async Task<HttpClient> SignInAsync(string baseUrl, CancellationToken ct)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        using var r = await client.PostAsJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = Email, password = Password }, ct);
        r.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    /// <summary>Creates a collection with a file field and a record holding one file; returns the file's path in storage.</summary>
    private static async Task<string> UploadRecordFileAsync(HttpClient su, string dir, CancellationToken ct)
    {
        await PostAsync(su, "/api/collections", new { name = "bigfiles", type = "base", fields = new object[] { new { name = "doc", type = "file", maxSelect = 1, maxSize = 1 << 20 } } }, ct);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[16]), "doc", "big.bin" } };
        using var r = await su.PostAsync("/api/collections/bigfiles/records", form, ct);
        var body = await r.Content.ReadAsStringAsync(ct);
        Assert.True(r.IsSuccessStatusCode, $"upload: {(int)r.StatusCode} {body}");
        var record = JsonNode.Parse(body)!;
        var path = Path.Combine(dir, "projects", "main", "storage", record["collectionId"]!.GetValue<string>(),
            record["id"]!.GetValue<string>(), record["doc"]!.GetValue<string>());
        Assert.True(File.Exists(path), "the uploaded file is not where the storage layout puts it: " + path);
        return path;
    }

    private static Task CreateNotesAsync(HttpClient su, CancellationToken ct) =>
        PostAsync(su, "/api/collections", new { name = "notes", type = "base", listRule = "", viewRule = "", createRule = "", fields = new object[] { new { name = "text", type = "text" } } }, ct);

    private static async Task PostAsync(HttpClient c, string url, object body, CancellationToken ct)
    {
        using var r = await c.PostAsJsonAsync(url, body, ct);
        Assert.True(r.IsSuccessStatusCode, $"POST {url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
    }
}
