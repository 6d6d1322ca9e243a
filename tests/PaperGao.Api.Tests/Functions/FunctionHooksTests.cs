using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

public sealed class FunctionHooksTests(PostgresCluster postgres)
{
    private const string Code = """
        onRecordCreateRequest((e) => {
          if (e.record.get("title") === "spam") throw new BadRequestError("No spam.")
          e.record.set("views", 7)
          e.next()
        }, "posts")
        onRecordCreate((e) => {
          if (e.record.get("title") === "silent") return
          if (e.record.get("title") === "toolong") e.record.set("title", "x".repeat(150))
          e.next()
        }, "posts")
        onRecordAfterCreateSuccess((e) => {
          $app.logger().info("created", "id", e.record.id)
          $app.save(new Record($app.findCollectionByNameOrId("authors"), { name: "by hook " + e.record.get("title") }))
          e.next()
        }, "posts")
        onRecordUpdate((e) => { if (e.record.get("title") === "boom") throw new Error("hook exploded"); e.next() }, "posts")
        onRecordDelete((e) => { e.next(); if (e.record.get("title") === "undeletable") throw new ForbiddenError("kept") }, "posts")
        onRecordViewRequest((e) => { if (e.record.get("title") === "hidden") return e.json(418, { custom: true }); e.next() }, "posts")
        routerAdd("GET", "/api/find", (e) => {
          const list = $app.findRecordsByFilter("posts", "title = {:t}", "-created", 10, 0, { t: e.request.url.query().get("t") })
          const first = $app.findFirstRecordByData("posts", "title", "hello")
          return e.json(200, { n: list.length, first: first.get("title"), views: $app.findRecordById("posts", first.id).getInt("views"),
            filtered: $app.findFirstRecordByFilter("posts", "views >= {:v}", { v: 7 }).get("title") })
        })
        routerAdd("POST", "/api/tx", (e) => {
          try { $app.runInTransaction((tx) => { tx.save(new Record("posts", { title: "in tx" })); throw new Error("roll back") }) } catch (err) {}
          return e.json(200, { n: $app.countRecords("posts", "title = 'in tx'") })
        })
        routerAdd("GET", "/api/as-guest", (e) => e.json(200, { n: $app.asUser(null).countRecords("locked") }))
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Record_hooks_run_in_the_one_pipeline_and_leave_nothing_half_written(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "spam" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("No spam.", body!["message"]!.GetValue<string>());

        (status, var hello) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "hello" }, ct);
        Assert.True(status == 200, hello?.ToJsonString());
        Assert.Equal(7, hello!["views"]!.GetValue<double>()); // changed by the request hook
        var authors = await GetJsonAsync(su, "/api/collections/authors/records?filter=" + Uri.EscapeDataString("name = 'by hook hello'"), ct);
        Assert.Equal(1, authors["totalItems"]!.GetValue<int>()); // the after-hook's $app.save

        // A before-hook that does not call next: no row, no 200.
        (status, _) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "silent" }, ct);
        Assert.Equal(400, status);
        // A value changed by a hook is validated again (title max 100).
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "toolong" }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["title"]);

        var id = hello["id"]!.GetValue<string>();
        (status, body) = await SendAsync(app.Client, HttpMethod.Patch, $"/api/collections/posts/records/{id}", new { title = "boom" }, ct);
        Assert.Equal(500, status);
        Assert.Equal(500, body!["status"]!.GetValue<int>());
        Assert.Equal("hello", (await GetJsonAsync(app.Client, $"/api/collections/posts/records/{id}", ct))["title"]!.GetValue<string>());

        (status, var keep) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "undeletable" }, ct);
        Assert.Equal(200, status);
        (status, body) = await SendAsync(app.Client, HttpMethod.Delete, $"/api/collections/posts/records/{keep!["id"]}", null, ct);
        Assert.Equal(403, status);
        Assert.Equal("Kept.", body!["message"]!.GetValue<string>());
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{keep["id"]}", null, ct);
        Assert.Equal(200, status); // the delete rolled back

        (status, var hidden) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "hidden" }, ct);
        (status, body) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{hidden!["id"]}", null, ct);
        Assert.Equal(418, status);
        Assert.True(body!["custom"]!.GetValue<bool>());

        var found = await GetJsonAsync(app.Client, "/api/find?t=hello", ct);
        Assert.Equal(1, found["n"]!.GetValue<double>());
        Assert.Equal("hello", found["first"]!.GetValue<string>());
        Assert.Equal(7, found["views"]!.GetValue<double>());
        Assert.Equal("hello", found["filtered"]!.GetValue<string>());
        // Filter parameters are literals, never filter syntax.
        found = await GetJsonAsync(app.Client, "/api/find?t=" + Uri.EscapeDataString("x\" || title != \""), ct);
        Assert.Equal(0, found["n"]!.GetValue<double>());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/tx", new { }, ct);
        Assert.Equal(200, status);
        Assert.Equal(0, body!["n"]!.GetValue<double>());

        // asUser applies the rules: the locked collection is superusers-only.
        (status, body) = await SendAsync(app.Client, HttpMethod.Get, "/api/as-guest", null, ct);
        Assert.Equal(403, status);

        // Hooks bind by collection id: renaming the collection keeps them attached.
        var postsId = (await GetJsonAsync(su, "/api/collections/posts", ct))["id"]!.GetValue<string>();
        (status, body) = await SendAsync(su, HttpMethod.Patch, $"/api/collections/{postsId}", new { name = "articles" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/articles/records", new { title = "spam" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("No spam.", body!["message"]!.GetValue<string>());
    }
}
