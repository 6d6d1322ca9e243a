using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client's pb.Backups against the server: create, list, download URL with a file token, upload (stream), restore, delete, bad input.</summary>
public sealed class ClientBackupsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Backups_are_created_listed_downloaded_uploaded_restored_and_deleted(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        await su.Collection("tags").CreateAsync(new { name = "kept" }, cancellationToken: ct);

        await su.Backups.CreateAsync("client-1.zip", cancellationToken: ct);
        await su.Backups.CreateAsync(cancellationToken: ct); // named by the server
        var list = await su.Backups.GetFullListAsync(cancellationToken: ct);
        Assert.Equal(2, list.Count);
        var first = Assert.Single(list, b => b.Key == "client-1.zip");
        Assert.True(first.Size > 0);
        Assert.EndsWith("Z", first.Modified);
        Assert.Single(list, b => b.Key.StartsWith("pb_backup_", StringComparison.Ordinal));

        // Download through the URL with a superuser file token, as a guest client; upload the bytes under another name.
        var token = await su.Files.GetTokenAsync(cancellationToken: ct);
        var url = su.Backups.GetDownloadUrl(token, "client-1.zip");
        Assert.Equal("http://localhost/api/backups/client-1.zip?token=" + Uri.EscapeDataString(token), url);
        using var guest = Guest(app);
        var zip = await guest.Files.DownloadAsync(url, ct);
        Assert.Equal(first.Size, zip.Length);
        using (var upload = new MemoryStream(zip)) await su.Backups.UploadAsync(upload, "uploaded.zip", cancellationToken: ct);
        Assert.Contains(await su.Backups.GetFullListAsync(cancellationToken: ct), b => b.Key == "uploaded.zip" && b.Size == zip.Length);

        // Restore the uploaded copy: the record created after the backup is gone.
        await su.Collection("tags").CreateAsync(new { name = "after" }, cancellationToken: ct);
        await su.Backups.RestoreAsync("uploaded.zip", cancellationToken: ct);
        var tags = await su.Collection("tags").GetFullListAsync(cancellationToken: ct);
        Assert.Equal(["kept"], tags.Select(t => Str(t, "name")));

        await su.Backups.DeleteAsync("client-1.zip", cancellationToken: ct);
        Assert.DoesNotContain(await su.Backups.GetFullListAsync(cancellationToken: ct), b => b.Key == "client-1.zip");
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_input_and_non_superusers_get_the_servers_errors(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        using var guest = Guest(app);

        var bad = await Assert.ThrowsAsync<ClientResponseException>(() => su.Backups.CreateAsync("../evil.zip", cancellationToken: ct));
        Assert.Equal(400, bad.Status);
        Assert.Equal("validation_match_invalid", bad.FieldCode("name"));
        using (var notZip = new MemoryStream("not a zip"u8.ToArray()))
        {
            var e = await Assert.ThrowsAsync<ClientResponseException>(() => su.Backups.UploadAsync(notZip, "x.zip", cancellationToken: ct));
            Assert.Equal(400, e.Status);
            Assert.NotNull(e.FieldCode("file"));
        }
        Assert.Equal(400, (await Assert.ThrowsAsync<ClientResponseException>(() => su.Backups.RestoreAsync("missing.zip", cancellationToken: ct))).Status);
        Assert.Equal(400, (await Assert.ThrowsAsync<ClientResponseException>(() => su.Backups.DeleteAsync("missing.zip", cancellationToken: ct))).Status);
        Assert.Equal(401, (await Assert.ThrowsAsync<ClientResponseException>(() => guest.Backups.GetFullListAsync(cancellationToken: ct))).Status);
        // Without a valid file token the download is refused.
        await su.Backups.CreateAsync("a.zip", cancellationToken: ct);
        Assert.Equal(403, (await Assert.ThrowsAsync<ClientResponseException>(() => guest.Files.DownloadAsync(guest.Backups.GetDownloadUrl("nope", "a.zip"), ct))).Status);
        Assert.Throws<ArgumentException>(() => su.Backups.GetDownloadUrl("t", ""));
    }
}
