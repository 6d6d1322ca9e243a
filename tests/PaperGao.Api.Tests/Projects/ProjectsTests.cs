using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Projects;

public sealed class ProjectsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Projects_are_created_served_under_p_and_isolated(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "shop" }, ct);
        Assert.Equal(200, status);
        Assert.Equal("/p/shop/api/", body!["apiPath"]!.GetValue<string>());
        var list = await GetJsonAsync(su, "/api/platform/projects", ct);
        Assert.Equal(["main", "shop"], list["items"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Order());

        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/p/shop/api/health", null, ct)).Status);
        // A superuser of main is nobody in shop: shop has its own _superusers.
        Assert.Equal(401, (await SendAsync(su, HttpMethod.Get, "/p/shop/api/collections", null, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/p/shop/api/collections/_superusers/auth-with-password",
            new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct)).Status);

        await CreateAsync(su, new JsonObject { ["name"] = "only_in_main", ["type"] = "base", ["listRule"] = "" }, ct);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/p/shop/api/collections/only_in_main/records", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/only_in_main/records", null, ct)).Status);

        // One project with the bytes it uses.
        var shop = await SendAsync(su, HttpMethod.Get, "/api/platform/projects/shop", null, ct);
        Assert.Equal(200, shop.Status);
        Assert.True(shop.Body!["usage"]!["database"]!.GetValue<long>() > 0, shop.Body.ToJsonString());
        Assert.Equal(0, shop.Body["usage"]!["files"]!.GetValue<long>());
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/api/platform/projects/missing", null, ct)).Status);

        // Platform endpoints belong to main only.
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/p/shop/api/platform/projects", null, ct)).Status);

        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/platform/projects/shop", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/p/shop/api/health", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Platform_endpoints_refuse_bad_input(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        foreach (var name in new[] { "", "Shop", "../etc", "a b", "x;drop", new string('a', 41), "1abc", "p/../main" })
        {
            var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name }, ct);
            Assert.True(status == 400, $"'{name}' → {status}");
            Assert.NotNull(body!["data"]!["name"]);
        }
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = 5 }, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "dup" }, ct)).Status);
        var (s2, dup) = await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "dup" }, ct);
        Assert.Equal(400, s2);
        Assert.Equal("validation_not_unique", dup!["data"]!["name"]!["code"]!.GetValue<string>());
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Delete, "/api/platform/projects/main", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Delete, "/api/platform/projects/missing", null, ct)).Status);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/platform/projects", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/p/..%2Fmain/api/health", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/p/nope/api/health", null, ct)).Status);
    }
}
