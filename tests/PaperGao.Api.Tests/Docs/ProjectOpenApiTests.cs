using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Docs;

/// <summary>/api/openapi.json per project: collections by caller (superuser, guest), /p/{project}, unknown project.</summary>
public sealed class ProjectOpenApiTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task The_document_describes_the_callers_collections(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        await su.Collections.CreateAsync(new { name = "private_notes", type = "base", fields = new object[] { new { name = "body", type = "text" } } }, cancellationToken: ct);

        var all = await DocumentAsync(su, "/api/openapi.json", ct);
        Assert.NotNull(all["paths"]!["/api/collections/private_notes/records"]);
        Assert.Equal("list_posts", all["paths"]!["/api/collections/posts/records"]!["get"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(all["paths"]!["/api/collections/users/auth-with-otp"]);
        Assert.Equal("#/components/schemas/PostsRecord", all["paths"]!["/api/collections/posts/records/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        using var guest = Guest(app);
        var mine = await DocumentAsync(guest, "/api/openapi.json", ct);
        Assert.Null(mine["paths"]!["/api/collections/private_notes/records"]);
        Assert.Null(mine["components"]!["schemas"]!["PrivateNotesRecord"]);
        Assert.NotNull(mine["paths"]!["/api/collections/posts/records"]);
        Assert.NotNull(mine["paths"]!["/api/collections/{collection}/records"]);

        // Another project has its own collections; an unknown one is a 404 in the error envelope.
        await su.SendAsync<JsonObject>(HttpMethod.Post, "/api/platform/projects", new { name = "shop2" }, null, ct);
        var other = await DocumentAsync(su, "/p/shop2/api/openapi.json", ct);
        Assert.Null(other["paths"]!["/api/collections/posts/records"]);
        Assert.Contains("shop2", other["info"]!["title"]!.GetValue<string>());
        var missing = await Assert.ThrowsAsync<ClientResponseException>(() => DocumentAsync(guest, "/p/nope/api/openapi.json", ct));
        Assert.Equal(404, missing.Status);
        Assert.Equal(404, missing.Response["status"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_reference_page_is_served_with_its_script_and_no_cdn(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await su.SendAsync<JsonObject>(HttpMethod.Post, "/api/platform/projects", new { name = "shop3" }, null, ct);

        foreach (var (path, project) in new[] { ("/api/docs/", "main"), ("/p/shop3/api/docs/", "shop3") })
        {
            using var page = await app.Client.GetAsync(path, ct);
            var html = await page.Content.ReadAsStringAsync(ct);
            Assert.Equal(200, (int)page.StatusCode);
            Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            Assert.Contains("PaperGao API: project " + project, html, StringComparison.Ordinal);
            // The document URL is relative to the page's base, so /p/{project} reads its own project's document.
            Assert.Contains("\"url\":\"api/openapi.json\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        }
        using var script = await app.Client.GetAsync("/api/docs/scalar.js", ct);
        Assert.Equal(200, (int)script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(ct)).Length > 100_000);

        using var missing = await app.Client.GetAsync("/p/nope/api/docs/", ct);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal(404, JsonNode.Parse(await missing.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
    }

    private static Task<JsonObject> DocumentAsync(PaperGaoClient client, string path, CancellationToken ct) =>
        client.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
}
