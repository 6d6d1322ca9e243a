using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.GraphQL;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>
/// onRecordEnrich on the answers of /api/batch (inside the batch's transaction, as PocketBase) and on GraphQL results:
/// queries, nested relations, mutation answers and subscription events. The written record is never changed.
/// </summary>
public sealed class FunctionEnrichAnswersTests(PostgresCluster postgres)
{
    private const string Code = """
        onRecordEnrich((e) => {
          if (e.record.get("title") === "boom") throw new BadRequestError("Enrich refused.")
          e.record.hide("views")
          e.record.withCustomData(true)
          e.record.set("score", e.record.getInt("views") * 2)
          e.record.set("context", e.requestInfo.context)
          const author = e.record.get("author")
          if (author) e.record.set("authorName", $app.findRecordById("authors", author).get("name"))
          e.record.set("title", e.record.get("title").toUpperCase())
          e.record.set("originalTitle", e.record.original().get("title")) // the stored state, copied before the first change
          e.next()
        }, "posts")
        onRecordEnrich(async ({ record, next }) => { record.set("name", "~" + record.get("name")); next() }, "authors") // async, next destructured
        onRecordAfterCreateSuccess((e) => {
          const comments = $app.findCollectionByNameOrId("comments")
          $app.save(new Record(comments, { message: "after: " + e.record.get("title") + "/" + e.record.get("views"), post: e.record.id }))
          e.next()
        }, "posts")
        routerAdd("GET", "/api/raw/{id}", (e) => { const r = $app.findRecordById("posts", e.request.pathValue("id")); return e.json(200, { title: r.get("title"), views: r.get("views") }) })
        """;

    private const string AuthorId = "annbatchauthor1";
    private const string PostId = "postbatch000001";

    [Theory]
    [DatabaseMatrix]
    public async Task Batch_answers_are_enriched_inside_the_transaction(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { batch = new { enabled = true, maxRequests = 10 } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        // The author is created in the same batch: the handler's $app.findRecordById reads through the batch's transaction.
        var batch = new
        {
            requests = new object[]
            {
                new { method = "POST", url = "/api/collections/authors/records", body = new { id = AuthorId, name = "ann" } },
                new { method = "POST", url = "/api/collections/posts/records?expand=author", body = new { id = PostId, title = "hello", views = 21, author = AuthorId } },
                new { method = "PATCH", url = $"/api/collections/posts/records/{PostId}?fields=id,title,score,views", body = new { views = 5 } },
            },
        };
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/batch", batch, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("~ann", body![0]!["body"]!["name"]!.GetValue<string>());
        var created = body[1]!["body"]!;
        Assert.Equal("HELLO", created["title"]!.GetValue<string>());
        Assert.Null(created["views"]);
        Assert.Equal(42, created["score"]!.GetValue<double>());
        Assert.Equal("batch", created["context"]!.GetValue<string>());
        Assert.Equal("ann", created["authorName"]!.GetValue<string>());
        Assert.Equal("hello", created["originalTitle"]!.GetValue<string>());
        Assert.Equal("~ann", created["expand"]!["author"]!["name"]!.GetValue<string>()); // the expanded author runs its own hook
        // The fields option picks from the enriched answer (a hidden field stays out even when asked for).
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["id"] = PostId, ["title"] = "HELLO", ["score"] = 10.0 }, body[2]!["body"]), body[2]!.ToJsonString());

        // Nothing enriched was written, and the after-commit hook saw the written record, not the answer.
        var raw = await GetJsonAsync(app.Client, $"/api/raw/{PostId}", ct);
        Assert.Equal("hello", raw["title"]!.GetValue<string>());
        Assert.Equal(5, raw["views"]!.GetValue<double>());
        var comments = await GetJsonAsync(app.Client, "/api/collections/comments/records", ct);
        Assert.Equal("after: hello/21", comments["items"]![0]!["message"]!.GetValue<string>());

        // A handler that refuses fails the whole batch: nothing of it is written.
        var failing = new
        {
            requests = new object[]
            {
                new { method = "POST", url = "/api/collections/posts/records", body = new { title = "fine" } },
                new { method = "POST", url = "/api/collections/posts/records", body = new { title = "boom" } },
            },
        };
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/batch", failing, ct);
        Assert.Equal(400, status);
        var failure = body!["data"]!["requests"]!["1"]!;
        Assert.Equal("batch_request_failed", failure["code"]!.GetValue<string>());
        Assert.Equal("Enrich refused.", failure["response"]!["message"]!.GetValue<string>());
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        // A delete answers no record (nothing to enrich): 204 with a null body.
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/batch", new { requests = new object[] { new { method = "DELETE", url = $"/api/collections/posts/records/{PostId}" } } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(204, body![0]!["status"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task GraphQL_results_are_enriched_in_queries_relations_and_mutations(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { id = AuthorId, name = "ann" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { id = PostId, title = "hello", views = 21, author = AuthorId }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        // A list, with a nested relation: the hidden number is the field's empty value, the changed title shows.
        var data = await GraphQLClient.DataAsync(app.Client, "{ postsList { items { id title views author { name } } } }", ct: ct);
        var item = data["postsList"]!["items"]![0]!;
        Assert.Equal("HELLO", item["title"]!.GetValue<string>());
        Assert.Equal(0, item["views"]!.GetValue<double>());
        Assert.Equal("~ann", item["author"]!["name"]!.GetValue<string>());
        // One record, and a back-relation (posts of an author, enriched by the posts hook).
        data = await GraphQLClient.DataAsync(app.Client, $"{{ posts(id: \"{PostId}\") {{ title views }} authors(id: \"{AuthorId}\") {{ name posts_via_author {{ title views }} }} }}", ct: ct);
        Assert.Equal("HELLO", data["posts"]!["title"]!.GetValue<string>());
        Assert.Equal(0, data["posts"]!["views"]!.GetValue<double>());
        Assert.Equal("~ann", data["authors"]!["name"]!.GetValue<string>());
        Assert.Equal("HELLO", data["authors"]!["posts_via_author"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(0, data["authors"]!["posts_via_author"]![0]!["views"]!.GetValue<double>());

        // A mutation's answer (the handler reads the author through the mutation's transaction).
        data = await GraphQLClient.DataAsync(app.Client, $"mutation {{ createPosts(data: {{ title: \"made\", views: 4, author: \"{AuthorId}\" }}) {{ id title views author {{ name }} }} }}", ct: ct);
        var made = data["createPosts"]!;
        Assert.Equal("MADE", made["title"]!.GetValue<string>());
        Assert.Equal(0, made["views"]!.GetValue<double>());
        Assert.Equal("~ann", made["author"]!["name"]!.GetValue<string>());
        var raw = await GetJsonAsync(app.Client, $"/api/raw/{made["id"]!.GetValue<string>()}", ct);
        Assert.Equal("made", raw["title"]!.GetValue<string>());
        Assert.Equal(4, raw["views"]!.GetValue<double>());
        var comments = await GetJsonAsync(app.Client, "/api/collections/comments/records?filter=" + Uri.EscapeDataString("message ~ 'made'"), ct);
        Assert.Equal("after: made/4", comments["items"]![0]!["message"]!.GetValue<string>()); // the after hook saw the written record

        // A refusing handler fails the mutation, which rolls back.
        var (_, error) = await GraphQLClient.ErrorAsync(app.Client, "mutation { createPosts(data: { title: \"boom\" }) { id } }", ct: ct);
        Assert.Contains("Enrich refused", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        // A collection without an enrich handler keeps the list's fast path (rows written straight from the reader).
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        Assert.True(RecordEnricher.Applies(project, project.Collections.Find("posts")!));
        Assert.False(RecordEnricher.Applies(project, project.Collections.Find("comments")!));
        var plain = await GetJsonAsync(app.Client, "/api/collections/comments/records?perPage=1", ct);
        Assert.Null(plain["items"]![0]!["score"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task GraphQL_subscription_events_are_enriched_for_the_subscriber(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        await using var node = await RealtimeNode.StartAsync(database?.ConnectionString, ct);
        await CreateSchemaAsync(node.Superuser, ct);
        var (status, body) = await SendAsync(node.Superuser, HttpMethod.Post, "/api/collections/authors/records", new { id = AuthorId, name = "ann" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await DeployAsync(node.Superuser, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        await using var ws = await GraphQLWsSession.ConnectAsync(node.BaseUrl, ct);
        var id = await ws.SubscribeAsync("subscription { posts { action record { title views author { name } } } }", ct);
        (status, body) = await SendAsync(node.Superuser, HttpMethod.Post, "/api/collections/posts/records", new { title = "live", views = 3, author = AuthorId }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        var evt = (await ws.NextEventAsync(id, ct))["data"]!["posts"]!;
        Assert.Equal("create", evt["action"]!.GetValue<string>());
        Assert.Equal("LIVE", evt["record"]!["title"]!.GetValue<string>());
        Assert.Equal(0, evt["record"]!["views"]!.GetValue<double>());
        Assert.Equal("~ann", evt["record"]!["author"]!["name"]!.GetValue<string>());
    }
}
