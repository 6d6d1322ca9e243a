using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>onRecordEnrich changes what a client sees (view, list, expand, create responses, auth responses, realtime), per collection tag.</summary>
public sealed class FunctionEnrichTests(PostgresCluster postgres)
{
    private const string Code = """
        onRecordEnrich((e) => {
          if (e.record.get("title") === "boom") throw new Error("enrich exploded")
          if (e.record.get("title") === "bad custom") { e.record.withCustomData(true); e.record.set("expand", 1) }
          e.record.hide("views")
          e.record.withCustomData(true)
          e.record.set("score", e.record.getInt("views") * 2)
          e.record.set("viewer", e.requestInfo.auth ? e.requestInfo.auth.collection().name : "guest")
          e.record.set("title", e.record.get("title").toUpperCase())
          e.next()
        }, "posts")
        onRecordEnrich((e) => { e.record.unhide("secret"); e.next() }, "authors")
        onRecordEnrich((e) => { e.record.withCustomData(true); e.record.set("greeting", "hi " + e.record.email()); e.next() }, "_superusers")
        routerAdd("GET", "/api/raw/{id}", (e) => { const r = $app.findRecordById("posts", e.request.pathValue("id")); return e.json(200, { title: r.get("title"), views: r.get("views") }) })
        routerAdd("GET", "/api/hidden/{id}", (e) => e.json(200, $app.findRecordById("posts", e.request.pathValue("id")).hide("title", "views")))
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Enrich_changes_what_clients_see_everywhere_records_go_out(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "ann", secret = "s3" }, ct);
        Assert.True(status == 200, author?.ToJsonString());
        var authorId = author!["id"]!.GetValue<string>();
        (status, var body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        await using var sse = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await RealtimeHttp.SubscribeAsync(app.Client, sse.ClientId, ct, "posts"));

        // The create response.
        (status, var created) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "hello", views = 21, author = authorId }, ct);
        Assert.True(status == 200, created?.ToJsonString());
        AssertEnriched(created!, "HELLO", 42, "guest");
        var id = created!["id"]!.GetValue<string>();

        // Realtime: the event's record as the subscriber (a guest) sees it.
        var frame = await sse.NextAsync(ct, TimeSpan.FromSeconds(10));
        while (frame.Event != "posts") frame = await sse.NextAsync(ct, TimeSpan.FromSeconds(10));
        AssertEnriched(frame.Json["record"]!, "HELLO", 42, "guest");

        // View, as a guest and as a superuser (e.requestInfo.auth).
        AssertEnriched(await GetJsonAsync(app.Client, $"/api/collections/posts/records/{id}", ct), "HELLO", 42, "guest");
        AssertEnriched(await GetJsonAsync(su, $"/api/collections/posts/records/{id}", ct), "HELLO", 42, "_superusers");

        // List, with expand: the expanded author runs its own collection's hook (the hidden field shown to a guest).
        var list = await GetJsonAsync(app.Client, "/api/collections/posts/records?expand=author", ct);
        var item = list["items"]!.AsArray().Single()!;
        AssertEnriched(item, "HELLO", 42, "guest");
        Assert.Equal("s3", item["expand"]!["author"]!["secret"]!.GetValue<string>());
        // A list without expand (the list's fast path is left for enriched collections).
        AssertEnriched((await GetJsonAsync(app.Client, "/api/collections/posts/records", ct))["items"]![0]!, "HELLO", 42, "guest");
        // Expand the other way: comments → post.
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "c", post = id }, ct);
        Assert.Equal(200, status);
        var comments = await GetJsonAsync(app.Client, "/api/collections/comments/records?expand=post", ct);
        var comment = comments["items"]![0]!;
        Assert.Null(comment["score"]); // tags: the posts hook does not run for comments
        AssertEnriched(comment["expand"]!["post"]!, "HELLO", 42, "guest");
        // Stored values are untouched.
        var stored = await GetJsonAsync(app.Client, $"/api/raw/{id}", ct);
        Assert.Equal("hello", stored["title"]!.GetValue<string>());
        Assert.Equal(21, stored["views"]!.GetValue<double>());

        // Auth responses.
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/_superusers/auth-with-password",
            new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("hi " + PaperGaoApp.SuperuserEmail, body!["record"]!["greeting"]!.GetValue<string>());

        // A route's e.json(record) honours hide().
        var hidden = await GetJsonAsync(app.Client, $"/api/hidden/{id}", ct);
        Assert.Null(hidden["title"]);
        Assert.Null(hidden["views"]);
        Assert.Equal(id, hidden["id"]!.GetValue<string>());

        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "boom" }, ct);
        Assert.Equal(500, status); // the create response's enrich throws: the error envelope, not half a record
        Assert.Equal(500, body!["status"]!.GetValue<int>());
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "bad custom" }, ct);
        Assert.Equal(400, status);
        Assert.Contains("custom data", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static void AssertEnriched(JsonNode record, string title, int score, string viewer)
    {
        Assert.Equal(title, record["title"]!.GetValue<string>());
        Assert.Null(record["views"]);
        Assert.Equal(score, record["score"]!.GetValue<double>());
        Assert.Equal(viewer, record["viewer"]!.GetValue<string>());
        Assert.Equal("posts", record["collectionName"]!.GetValue<string>());
    }
}
