using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>
/// The one pipeline's rule "e.next() is the operation": a write hook that returns without calling it (at once, or
/// after an await) stops the write entirely — no row, no after-hook, no realtime event, no 200 — while one that calls
/// it at the tail of an async handler writes normally. A throw after next rolls back; a throw after the commit keeps it.
/// </summary>
public sealed class FunctionPipelineTests(PostgresCluster postgres)
{
    private const string Code = """
        onRecordCreate((e) => { if (e.record.get("title") === "silent") return; e.next() }, "posts")
        onRecordCreate(async (e) => {
          await Promise.resolve(1)
          if (e.record.get("title") === "async-silent") return
          e.record.set("views", 5)
          e.next()
        }, "posts")
        onRecordCreate((e) => { e.next(); if (e.record.get("title") === "late-throw") throw new BadRequestError("Too late.") }, "posts")
        onRecordAfterCreateSuccess((e) => {
          $app.save(new Record("authors", { name: "after " + e.record.get("title") }))
          if (e.record.get("title") === "after-throw") throw new Error("after hook exploded")
          e.next()
        }, "posts")
        onRecordAfterCreateError((e) => { $app.save(new Record("authors", { name: "error " + e.record.get("title") })); e.next() }, "posts")
        onRecordUpdate(async (e) => { await Promise.resolve(); if (e.record.get("title") === "frozen") return; e.next() }, "posts")
        onRecordDelete((e) => { if (e.record.get("title") === "keep me") return; e.next() }, "posts")
        onRecordCreateRequest((e) => { if (e.record.get("title") === "ignored") return; e.next() }, "posts")
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task A_hook_that_does_not_call_next_stops_the_write_and_async_tail_next_writes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        await using var sse = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await RealtimeHttp.SubscribeAsync(app.Client, sse.ClientId, ct, "posts"));

        foreach (var title in new[] { "silent", "async-silent", "ignored" })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title }, ct);
            Assert.True(status == 400, title + ": " + body?.ToJsonString());
            Assert.Contains("stopped by a hook", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "late-throw" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("Too late.", body!["message"]!.GetValue<string>());

        // e.next() at the tail of an async handler: written, with the value the handler set.
        (status, var written) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "async-tail" }, ct);
        Assert.True(status == 200, written?.ToJsonString());
        Assert.Equal(5, written!["views"]!.GetValue<double>());

        // A throw after the commit is reported, the write stays.
        (status, var kept) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "after-throw" }, ct);
        Assert.True(status == 200, kept?.ToJsonString());

        var titles = await TitlesAsync(su, "posts", ct);
        Assert.Equal(["after-throw", "async-tail"], titles);
        var authors = await TitlesAsync(su, "authors", ct, "name");
        Assert.Equal(["after after-throw", "after async-tail", "error late-throw"], authors); // no after-hook for a stopped write

        // Update and delete stopped by a hook leave the row as it was.
        var id = written["id"]!.GetValue<string>();
        (status, body) = await SendAsync(app.Client, HttpMethod.Patch, $"/api/collections/posts/records/{id}", new { title = "frozen" }, ct);
        Assert.Equal(400, status);
        Assert.Contains("stopped by a hook", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("async-tail", (await GetJsonAsync(su, $"/api/collections/posts/records/{id}", ct))["title"]!.GetValue<string>());
        (status, var keep) = await SendAsync(app.Client, HttpMethod.Patch, $"/api/collections/posts/records/{id}", new { title = "keep me" }, ct);
        Assert.True(status == 200, keep?.ToJsonString()); // the async update hook reached next
        (status, body) = await SendAsync(app.Client, HttpMethod.Delete, $"/api/collections/posts/records/{id}", null, ct);
        Assert.Equal(400, status);
        Assert.Equal("keep me", (await GetJsonAsync(su, $"/api/collections/posts/records/{id}", ct))["title"]!.GetValue<string>());

        // Realtime saw exactly the writes that happened, in order: no event for a stopped one.
        var seen = new List<string>();
        while (seen.Count < 3)
        {
            var frame = await sse.NextAsync(ct, TimeSpan.FromSeconds(10));
            if (frame.Event != "posts") continue;
            seen.Add(frame.Json["action"]!.GetValue<string>() + " " + frame.Json["record"]!["title"]!.GetValue<string>());
        }
        Assert.Equal(["create async-tail", "create after-throw", "update keep me"], seen);
        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "marker" }, ct);
        Assert.Equal(200, status);
        var marker = await sse.NextAsync(ct, TimeSpan.FromSeconds(10)); // arrives after anything a stopped write would have sent
        Assert.Equal("create marker", marker.Json["action"]!.GetValue<string>() + " " + marker.Json["record"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_hook_tagged_with_a_collection_created_later_stays_attached_through_a_rename(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, """onRecordCreateRequest((e) => { throw new BadRequestError("Tagged hook ran.") }, "later")""", ct);
        Assert.True(status == 200, body?.ToJsonString());
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "later", ["type"] = "base", ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }, ct);
        var id = (await GetJsonAsync(su, "/api/collections/later", ct))["id"]!.GetValue<string>();
        (status, body) = await SendAsync(su, HttpMethod.Patch, $"/api/collections/{id}", new { name = "renamed" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/renamed/records", new { title = "x" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("Tagged hook ran.", body!["message"]!.GetValue<string>());
    }

    private static async Task<List<string>> TitlesAsync(HttpClient su, string collection, CancellationToken ct, string field = "title")
    {
        var list = await GetJsonAsync(su, $"/api/collections/{collection}/records?perPage=100&sort={field}", ct);
        return [.. list["items"]!.AsArray().Select(i => i![field]!.GetValue<string>())];
    }
}
