using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client files (stream uploads, URLs, thumbs, protected-file tokens), batch, and the admin services.</summary>
public sealed class ClientFilesBatchAdminTests(PostgresCluster postgres)
{
    // A 1x1 PNG.
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Theory]
    [DatabaseMatrix]
    public async Task Uploads_urls_thumbs_and_file_tokens(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        using var pb = Guest(app);

        using var cover = new MemoryStream(Png);
        using var secret = new MemoryStream(Encoding.UTF8.GetBytes("top secret"));
        var post = await pb.Collection("posts").CreateAsync(new { title = "with files", views = 1 },
            [new FileUpload("cover", cover, "cover.png", "image/png"), new FileUpload("secret", secret, "secret.txt", "text/plain")], cancellationToken: ct);
        Assert.Equal("with files", Str(post, "title"));
        var coverName = Str(post, "cover");
        Assert.StartsWith("cover_", coverName);

        var url = pb.Files.GetUrl(post, coverName, thumb: "20x20");
        Assert.Equal($"http://localhost/api/files/{Str(post, "collectionId")}/{Str(post, "id")}/{coverName}?thumb=20x20", url);
        Assert.Equal(Png.Take(8), (await pb.Files.DownloadAsync(pb.Files.GetUrl(post, coverName), ct)).Take(8));
        Assert.Equal("", pb.Files.GetUrl(post, ""));

        // A file token needs a signed-in client; the URL carries it.
        Assert.Equal(401, (await Assert.ThrowsAsync<ClientResponseException>(() => pb.Files.GetTokenAsync(cancellationToken: ct))).Status);
        var token = await su.Files.GetTokenAsync(cancellationToken: ct);
        Assert.Equal("top secret", Encoding.UTF8.GetString(await pb.Files.DownloadAsync(pb.Files.GetUrl(post, Str(post, "secret"), token: token), ct)));

        // Replacing a file with an update upload.
        using var again = new MemoryStream(Png);
        var updated = await pb.Collection("posts").UpdateAsync(Str(post, "id"), new { title = "new cover" }, [new FileUpload("cover", again, "second.png", "image/png")], cancellationToken: ct);
        Assert.StartsWith("second_", Str(updated, "cover"));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Batch_commits_all_or_nothing_and_admin_services_work(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        await su.Settings.UpdateAsync(new { batch = new { enabled = true, maxRequests = 50 } }, cancellationToken: ct);
        using var pb = Guest(app);
        var existing = await pb.Collection("posts").CreateAsync(new { title = "old" }, cancellationToken: ct);

        var batch = pb.CreateBatch();
        using var png = new MemoryStream(Png);
        batch.Collection("posts").Create(new { title = "b1" }, [new FileUpload("cover", png, "b1.png", "image/png")]).Create(new { title = "b2" });
        batch.Collection("posts").Update(Str(existing, "id"), new { title = "old, updated" });
        batch.Collection("tags").Upsert(new { id = "tagid0000000001", name = "upserted" });
        var results = await batch.SendAsync(cancellationToken: ct);
        Assert.Equal([200, 200, 200, 200], results.Select(r => r.Status));
        Assert.StartsWith("b1", results[0].Body!["cover"]!.GetValue<string>());
        Assert.Equal("old, updated", results[2].Body!["title"]!.GetValue<string>());

        var failing = pb.CreateBatch();
        failing.Collection("posts").Create(new { title = "never stored" });
        failing.Collection("posts").Create(new { views = 1 }); // no title: fails, so nothing is stored
        var error = await Assert.ThrowsAsync<ClientResponseException>(() => failing.SendAsync(cancellationToken: ct));
        Assert.Equal(400, error.Status);
        Assert.NotNull(error.FieldErrors["requests"]?["1"]);
        Assert.Equal(0, (await pb.Collection("posts").GetListAsync(1, 1, new ListOptions { Filter = "title = 'never stored'" }, ct)).TotalItems);

        // Admin: collections, settings, logs.
        var list = await su.Collections.GetFullListAsync(cancellationToken: ct);
        Assert.Contains(list, c => Str(c, "name") == "posts");
        await su.Collections.CreateAsync(new { name = "scratch", type = "base", listRule = "", fields = new object[] { new { name = "note", type = "text" } } }, cancellationToken: ct);
        var changed = await su.Collections.UpdateAsync("scratch", new { listRule = (string?)null }, cancellationToken: ct);
        Assert.Null(changed["listRule"]);
        await su.Collection("scratch").CreateAsync(new { note = "x" }, cancellationToken: ct);
        await su.Collections.TruncateAsync("scratch", cancellationToken: ct);
        Assert.Equal(0, (await su.Collection("scratch").GetListAsync(cancellationToken: ct)).TotalItems);
        await su.Collections.DeleteAsync("scratch", cancellationToken: ct);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResponseException>(() => su.Collections.GetOneAsync("scratch", cancellationToken: ct))).Status);
        var scaffolds = await su.Collections.GetScaffoldsAsync(cancellationToken: ct);
        Assert.NotNull(scaffolds["auth"]);
        var settings = await su.Settings.UpdateAsync(new { meta = new { appName = "Client test" } }, cancellationToken: ct);
        Assert.Equal("Client test", settings["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal("Client test", (await su.Settings.GetAllAsync(cancellationToken: ct))["meta"]!["appName"]!.GetValue<string>());
        var logs = await su.Logs.GetListAsync(1, 5, cancellationToken: ct);
        Assert.True(logs.PerPage == 5);
        Assert.NotNull(await su.Logs.GetStatsAsync(cancellationToken: ct));
        Assert.Equal(403, (await Assert.ThrowsAsync<ClientResponseException>(async () =>
        {
            await pb.Collection("users").CreateAsync(new { email = "u@example.test", password = "user-password-1", passwordConfirm = "user-password-1" }, cancellationToken: ct);
            await pb.Collection("users").AuthWithPasswordAsync("u@example.test", "user-password-1", cancellationToken: ct);
            await pb.Settings.GetAllAsync(cancellationToken: ct);
        })).Status);
    }
}
