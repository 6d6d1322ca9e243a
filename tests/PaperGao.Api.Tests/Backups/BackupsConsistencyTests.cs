using System.IO.Compression;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Files;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Backups;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>A backup's files match its data snapshot while records are written during it; health's canBackup while it runs.</summary>
public sealed class BackupsConsistencyTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Files_written_or_deleted_during_a_backup_match_its_data_snapshot(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "docs", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "file", ["type"] = "file", ["maxSelect"] = 1, ["maxSize"] = 1_000_000 }),
        }, ct);
        var kept = await UploadDocAsync(su, HttpMethod.Post, "/api/collections/docs/records", "kept.txt", ct);
        var deleted = await UploadDocAsync(su, HttpMethod.Post, "/api/collections/docs/records", "deleted.txt", ct);
        var replaced = await UploadDocAsync(su, HttpMethod.Post, "/api/collections/docs/records", "old.txt", ct);
        var registry = (ProjectRegistry)app.Services.GetService(typeof(ProjectRegistry))!;
        var service = (BackupService)app.Services.GetService(typeof(BackupService))!;
        var project = (await registry.GetAsync("main", ct))!;
        var docsId = project.Collections.Find("docs")!.Id;
        Assert.True((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());

        // The backup stops between its data snapshot and the copy of the files.
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        service.AfterSnapshot = async _ => { reached.TrySetResult(); await release.Task; };
        var backup = SendAsync(su, HttpMethod.Post, "/api/backups", new { name = "during.zip" }, ct);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.False((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());

        var added = await UploadDocAsync(su, HttpMethod.Post, "/api/collections/docs/records", "added.txt", ct);
        var (deleteStatus, _) = await SendAsync(su, HttpMethod.Delete, $"/api/collections/docs/records/{deleted.Id}", null, ct);
        Assert.Equal(204, deleteStatus);
        var renewed = await UploadDocAsync(su, HttpMethod.Patch, $"/api/collections/docs/records/{replaced.Id}", "new.txt", ct);
        Assert.NotEqual(replaced.File, renewed.File);
        // Deletions wait for the backup: the deleted record's file and the replaced file are still stored.
        Assert.True(await project.Storage.ExistsAsync($"{docsId}/{deleted.Id}/{deleted.File}", ct));
        Assert.True(await project.Storage.ExistsAsync($"{docsId}/{replaced.Id}/{replaced.File}", ct));

        release.SetResult();
        var (status, body) = await backup;
        Assert.True(status == 204, body?.ToJsonString());
        service.AfterSnapshot = null;
        Assert.True((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());

        var zip = await DownloadAsync(su, app.Client, "during.zip", ct);
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var stored = archive.Entries.Where(e => e.FullName.StartsWith("storage/", StringComparison.Ordinal)).Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
        string[] expected = [.. new[] { kept, deleted, replaced }.Select(d => $"storage/{docsId}/{d.Id}/{d.File}").Order(StringComparer.Ordinal)];
        Assert.Equal(expected, stored);
        Assert.DoesNotContain(stored, k => k.Contains(added.Id, StringComparison.Ordinal) || k.Contains(renewed.File, StringComparison.Ordinal));

        // After the backup the postponed deletions ran; the files written meanwhile stay.
        Assert.False(await project.Storage.ExistsAsync($"{docsId}/{deleted.Id}/{deleted.File}", ct));
        Assert.False(await project.Storage.ExistsAsync($"{docsId}/{replaced.Id}/{replaced.File}", ct));
        Assert.True(await project.Storage.ExistsAsync($"{docsId}/{added.Id}/{added.File}", ct));
        Assert.True(await project.Storage.ExistsAsync($"{docsId}/{replaced.Id}/{renewed.File}", ct));
        Assert.Equal(0, project.FileDeletions.Pending);

        // The backup restores to its snapshot: three records, each with its file.
        await RestoreAsync(su, "during.zip", ct);
        var items = (await GetJsonAsync(su, "/api/collections/docs/records", ct))["items"]!.AsArray();
        Assert.Equal(new[] { kept.Id, deleted.Id, replaced.Id }.Order(StringComparer.Ordinal), items.Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var d in new[] { kept, deleted, replaced })
        {
            using var r = await app.Client.GetAsync($"/api/files/docs/{d.Id}/{d.File}", ct);
            Assert.Equal(200, (int)r.StatusCode);
        }
    }

    private static async Task<(string Id, string File)> UploadDocAsync(HttpClient su, HttpMethod method, string url, string name, CancellationToken ct)
    {
        var (status, body) = await FileTestContent.SendAsync(su, method, url, FileTestContent.Form(("file", name, System.Text.Encoding.UTF8.GetBytes("content of " + name))), ct);
        Assert.True(status == 200, body.ToJsonString());
        return (body["id"]!.GetValue<string>(), body["file"]!.GetValue<string>());
    }
}
