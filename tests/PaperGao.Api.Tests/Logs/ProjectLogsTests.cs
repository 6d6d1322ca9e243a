using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Logs;

/// <summary>Each project has its own log database, deleted with the project.</summary>
public sealed class ProjectLogsTests(PostgresCluster postgres)
{
    private static async Task<HttpClient> ShopSuperuserAsync(PaperGaoApp app, CancellationToken ct)
    {
        var shop = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync("shop", ct))!;
        var c = shop.Collections.FindByName(ProjectInitializer.SuperusersName)!;
        var body = new JsonObject { ["email"] = "shop@example.com", ["password"] = "Shop-password-123", ["passwordConfirm"] = "Shop-password-123" };
        await RecordWriter.CreateAsync(shop, c, body, new RequestInfo { IsSuperuser = true, Context = "test" }, ct: ct);
        var (status, auth) = await SendAsync(app.Client, HttpMethod.Post, "/p/shop/api/collections/_superusers/auth-with-password",
            new { identity = "shop@example.com", password = "Shop-password-123" }, ct);
        Assert.Equal(200, status);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        return client;
    }

    private static async Task<bool> LogDatabaseExistsAsync(PaperGaoApp app, CancellationToken ct)
    {
        if (app.Kind == DatabaseKind.Sqlite) return File.Exists(Path.Combine(app.Settings.Dir, "projects", "shop", "logs.db"));
        await using var conn = new NpgsqlConnection(app.Settings.Db);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'l_shop'", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_project_logs_into_its_own_database_which_goes_with_the_project(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "shop" }, ct)).Status);
        using var shopSu = await ShopSuperuserAsync(app, ct);

        Assert.Equal(200, (await GetAsync(app.Client, "/p/shop/api/health?probe=shop", ct)).Status);
        var logs = await WaitForLogsAsync(shopSu, "data.url ~ 'probe=shop'", items => items.Count == 1, ct, project: "/p/shop");
        Assert.Equal("/p/shop/api/health?probe=shop", logs[0]!["data"]!["url"]!.GetValue<string>());
        Assert.Empty((await GetJsonAsync(su, "/api/logs?filter=" + Uri.EscapeDataString("data.url ~ 'probe=shop'"), ct))["items"]!.AsArray());
        // main's superuser is nobody in shop.
        Assert.Equal(401, (await GetAsync(su, "/p/shop/api/logs", ct)).Status);
        Assert.True(await LogDatabaseExistsAsync(app, ct));

        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/platform/projects/shop", null, ct)).Status);
        Assert.False(await LogDatabaseExistsAsync(app, ct));

        // A new project of the same name starts with no logs of the old one.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "shop" }, ct)).Status);
        using var again = await ShopSuperuserAsync(app, ct);
        Assert.Empty((await GetJsonAsync(again, "/p/shop/api/logs?filter=" + Uri.EscapeDataString("data.url ~ 'probe=shop'"), ct))["items"]!.AsArray());
    }
}
