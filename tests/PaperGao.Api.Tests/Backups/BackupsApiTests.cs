using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>The backups API (PocketBase's apis/backup*.go): list, create, download with a file token, delete, restore.</summary>
public sealed class BackupsApiTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_backup_is_created_listed_downloaded_restored_and_deleted(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SeedAsync(su, ct);
        await CreateBackupAsync(su, "first.zip", ct);

        var list = await GetJsonAsync(su, "/api/backups", ct);
        var item = Assert.Single(list.AsArray())!;
        Assert.Equal("first.zip", item["key"]!.GetValue<string>());
        Assert.True(item["size"]!.GetValue<long>() > 0);
        Assert.EndsWith("Z", item["modified"]!.GetValue<string>());

        var zip = await DownloadAsync(su, app.Client, "first.zip", ct);
        Assert.Equal((byte)'P', zip[0]);

        // Change everything, then go back.
        var posts = await GetJsonAsync(su, "/api/collections/posts/records", ct);
        await SendAsync(su, HttpMethod.Delete, $"/api/collections/posts/records/{posts["items"]![0]!["id"]!.GetValue<string>()}", null, ct);
        await PostAsync(su, "/api/collections/posts/records", new { title = "after the backup" }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "later", ["type"] = "base" }, ct);
        await RestoreAsync(su, "first.zip", ct);

        await AssertSeededAsync(su, app.Client, ct);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/api/collections/later", null, ct)).Status);
        // The superuser's token still works (the superusers and their token secrets came back unchanged).
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Get, "/api/backups", null, ct)).Status);

        var (deleted, _) = await SendAsync(su, HttpMethod.Delete, "/api/backups/first.zip", null, ct);
        Assert.Equal(204, deleted);
        Assert.Empty((await GetJsonAsync(su, "/api/backups", ct)).AsArray());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_generated_name_is_used_when_none_is_given_and_health_says_canBackup(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, _) = await SendAsync(su, HttpMethod.Post, "/api/backups", new { }, ct);
        Assert.Equal(204, status);
        var key = (await GetJsonAsync(su, "/api/backups", ct))[0]!["key"]!.GetValue<string>();
        Assert.Matches("^pb_backup_papergao_[0-9]{14}\\.zip$", key);
        Assert.True((await GetJsonAsync(su, "/api/health", ct))["data"]!["canBackup"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Backups_are_per_project_under_p_name(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await PostAsync(su, "/api/platform/projects", new { name = "shop" }, ct);
        var shop = await ShopSuperuserAsync(app, ct);
        await PostAsync(shop, "/p/shop/api/collections", new JsonObject { ["name"] = "items", ["type"] = "base", ["listRule"] = "", ["createRule"] = "", ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }) }, ct);
        await PostAsync(shop, "/p/shop/api/collections/items/records", new { title = "one" }, ct);
        var (status, _) = await SendAsync(shop, HttpMethod.Post, "/p/shop/api/backups", new { name = "shop-1.zip" }, ct);
        Assert.Equal(204, status);
        Assert.Equal("shop-1.zip", (await GetJsonAsync(shop, "/p/shop/api/backups", ct))[0]!["key"]!.GetValue<string>());
        Assert.Empty((await GetJsonAsync(su, "/api/backups", ct)).AsArray());
        // main's superuser is nobody in shop.
        Assert.Equal(401, (await SendAsync(su, HttpMethod.Get, "/p/shop/api/backups", null, ct)).Status);

        await PostAsync(shop, "/p/shop/api/collections/items/records", new { title = "two" }, ct);
        Assert.Equal(204, (await SendAsync(shop, HttpMethod.Post, "/p/shop/api/backups/shop-1.zip/restore", null, ct)).Status);
        Assert.Equal(1, (await GetJsonAsync(shop, "/p/shop/api/collections/items/records", ct))["totalItems"]!.GetValue<int>());
    }

    /// <summary>A superuser of the "shop" project, created in process and signed in through /p/shop.</summary>
    internal static async Task<HttpClient> ShopSuperuserAsync(PaperGaoApp app, CancellationToken ct)
    {
        var registry = (Core.Projects.ProjectRegistry)app.Services.GetService(typeof(Core.Projects.ProjectRegistry))!;
        var project = (await registry.GetAsync("shop", ct))!;
        var c = project.Collections.FindByName(Core.Projects.ProjectInitializer.SuperusersName)!;
        await Core.Records.RecordWriter.CreateAsync(project, c,
            new JsonObject { ["email"] = "shop@papergao.test", ["password"] = "Shop-password-1", ["passwordConfirm"] = "Shop-password-1" },
            new Core.Records.RequestInfo { IsSuperuser = true, Context = "test" });
        var token = (await PostAsync(app.Client, "/p/shop/api/collections/_superusers/auth-with-password", new { identity = "shop@papergao.test", password = "Shop-password-1" }, ct))["token"]!.GetValue<string>();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }
}
