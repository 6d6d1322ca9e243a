using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>Backups kept in an S3 bucket (backups.s3) of a project whose files are in S3 too, the same bucket (a local S3 server).</summary>
public sealed class BackupsS3Tests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Backups_go_to_the_bucket_hold_the_S3_files_and_a_restore_keeps_the_other_backups(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var s3 = await TestS3Server.StartAsync(ct);
        await s3.ConfigureAsync(app, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { backups = new { s3 = s3.SettingsSection } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        await SeedAsync(su, ct); // its file goes to the bucket
        await CreateBackupAsync(su, "in-bucket.zip", ct);
        await CreateBackupAsync(su, "second.zip", ct);

        var local = Path.Combine(app.Settings.Dir, "projects", "main", "backups");
        Assert.False(File.Exists(Path.Combine(local, "in-bucket.zip")), "the backup went to the local folder");
        Assert.NotEmpty(Directory.GetFiles(s3.Folder, "in-bucket.zip*", SearchOption.AllDirectories)); // in the bucket's folder
        var keys = (await GetJsonAsync(su, "/api/backups", ct)).AsArray().Select(x => x!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["in-bucket.zip", "second.zip"], keys);
        var zip = await DownloadAsync(su, app.Client, "in-bucket.zip", ct);
        using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip)))
            Assert.Contains(archive.Entries, e => e.FullName.StartsWith("storage/", StringComparison.Ordinal) && e.FullName.Contains("hello", StringComparison.Ordinal));

        // Changes after the backup; the restore brings the seeded content back and leaves both backups in the bucket.
        var posts = await GetJsonAsync(su, "/api/collections/posts/records", ct);
        await SendAsync(su, HttpMethod.Delete, $"/api/collections/posts/records/{posts["items"]![0]!["id"]!.GetValue<string>()}", null, ct);
        await RestoreAsync(su, "in-bucket.zip", ct);
        await AssertSeededAsync(su, app.Client, ct);
        keys = (await GetJsonAsync(su, "/api/backups", ct)).AsArray().Select(x => x!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["in-bucket.zip", "second.zip"], keys);

        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/backups/second.zip", null, ct)).Status);
        Assert.Equal(["in-bucket.zip"], (await GetJsonAsync(su, "/api/backups", ct)).AsArray().Select(x => x!["key"]!.GetValue<string>()));
    }
}
