using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>Writes a hook makes inside its write's transaction, and what a failure of one does to the write.</summary>
public sealed class FunctionNestedWriteTests(PostgresCluster postgres)
{
    internal const string Code = """
        onRecordCreate((e) => {
          e.next()
          const title = e.record.get("title")
          const tags = $app.findCollectionByNameOrId("tags")
          if (title === "tx") {
            try { $app.runInTransaction((tx) => { tx.save(new Record(tags, { text: "inner" })); throw new Error("undo") }) } catch (err) {}
          }
          if (title === "txdelete") {
            try { $app.runInTransaction((tx) => { tx.delete(tx.findFirstRecordByData("tags", "text", "taken")); throw new Error("undo") }) } catch (err) {}
          }
          if (title === "ok") $app.save(new Record(tags, { text: "fine" }))
        }, "posts")
        onRecordAfterCreateSuccess((e) => { $app.save(new Record("posts", { title: "announced " + e.record.get("text") })); e.next() }, "tags")
        onRecordAfterCreateError((e) => { $app.save(new Record("posts", { title: "failed " + e.record.get("text") + ": " + e.error })); e.next() }, "tags")
        """;

    /// <summary>
    /// $app.runInTransaction called inside an open transaction (in a hook) runs in a savepoint: when its function throws
    /// and the caller catches the error, what it wrote is undone alone (with the work it registered for the commit:
    /// after-hooks, realtime) and the outer write commits, on both databases ("both or neither" holds nested too).
    /// Before the savepoint (on both databases) the tag "inner" the undone function saved was still stored.
    /// </summary>
    [Theory]
    [DatabaseMatrix]
    public async Task A_caught_nested_transaction_is_undone_alone_and_the_outer_write_commits(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await StartWithAsync(app, Code, ct);

        foreach (var title in new[] { "tx", "txdelete", "ok" })
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title }, ct);
            Assert.True(status == 200, $"{title}: {status} {body?.ToJsonString()}");
            Assert.Equal(200, (await SendAsync(su, HttpMethod.Get, $"/api/collections/posts/records/{body!["id"]}", null, ct)).Status);
        }

        // Only the nested write that did not fail is stored, and only its after-hook ran (it ran once the post committed).
        var tags = await GetJsonAsync(su, "/api/collections/tags/records?sort=text", ct);
        Assert.Equal(["fine", "taken"], tags["items"]!.AsArray().Select(t => (string)t!["text"]!));
        var announced = await GetJsonAsync(su, "/api/collections/posts/records?sort=title&filter=" + Uri.EscapeDataString("title ~ 'announced'"), ct);
        Assert.Equal(["announced fine"], announced["items"]!.AsArray().Select(t => (string)t!["title"]!));
        // The undone create's error hook ran once the post had committed (a write of its own, with the function's error).
        var failed = await GetJsonAsync(su, "/api/collections/posts/records?filter=" + Uri.EscapeDataString("title ~ 'failed'"), ct);
        Assert.Equal(1, failed["totalItems"]!.GetValue<int>());
        Assert.StartsWith("failed inner: ", (string)failed["items"]![0]!["title"]!, StringComparison.Ordinal);
        Assert.Contains("undo", (string)failed["items"]![0]!["title"]!, StringComparison.Ordinal);
    }

    private const string CatchingCode = """
        onRecordCreate((e) => {
          const tag = () => { try { $app.save(new Record($app.findCollectionByNameOrId("tags"), { text: "taken" })) } catch (err) {} }
          if (e.record.get("title") === "before") tag()
          e.next()
          if (e.record.get("title") === "after") tag()
        }, "posts")
        """;

    /// <summary>
    /// A hook wraps a nested $app.save that fails (a unique violation) in try/catch. The server's errors are not
    /// JavaScript exceptions: the catch does not see them, and the whole write fails with the nested save's error on
    /// both databases, nothing stored. So a function cannot leave PostgreSQL's transaction aborted behind a write
    /// answered as saved (docs/functions.md, "Errors inside a write").
    /// </summary>
    [Theory]
    [DatabaseMatrix]
    public async Task A_failed_nested_save_fails_the_write_even_inside_a_catch(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await StartWithAsync(app, CatchingCode, ct);

        foreach (var (id, title) in new[] { ("lastwrite000001", "after"), ("firstwrite00001", "before") })
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id, title }, ct);
            Assert.True(status == 400, $"{title}: {status} {body?.ToJsonString()}");
            Assert.Equal("validation_not_unique", (string?)body!["data"]!["text"]!["code"]); // the nested save's error
            Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct)).Status);
        }
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/tags/records", ct))["totalItems"]!.GetValue<int>());
        var (ok, created) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "plain" }, ct);
        Assert.True(ok == 200, created?.ToJsonString());
    }

    private const string ReadingCode = """
        onRecordCreate((e) => {
          e.next()
          const tag = $app.findFirstRecordByData("tags", "text", "taken")
          tag.set("text", e.record.get("title"))
          $app.save(tag)
          const again = $app.findRecordById("tags", tag.id).get("text")
          if (again !== e.record.get("title")) throw new BadRequestError("The hook read " + again + " after saving " + e.record.get("title") + ".")
          tag.set("text", "taken")
          $app.save(tag)
        }, "posts")
        """;

    /// <summary>
    /// A hook on a create that updates another record (no update hook deployed) and reads it back in the same
    /// transaction sees its own write: a nested write is never held back to go with the COMMIT (it is not the
    /// transaction's last statement), on PostgreSQL as on SQLite. Before: on PostgreSQL the nested UPDATE was held back
    /// for the COMMIT and the hook read "taken" (400).
    /// </summary>
    [Theory]
    [DatabaseMatrix]
    public async Task A_hook_reads_what_its_nested_save_wrote(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await StartWithAsync(app, ReadingCode, ct);

        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "renamed" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        var tags = await GetJsonAsync(su, "/api/collections/tags/records", ct);
        Assert.Equal(["taken"], tags["items"]!.AsArray().Select(t => (string)t!["text"]!));
    }

    /// <summary>The tags and posts collections (CaughtWriteErrorTests) and the functions deployed; the superuser's client.</summary>
    private static async Task<HttpClient> StartWithAsync(PaperGaoApp app, string code, CancellationToken ct)
    {
        var su = await app.SuperuserClientAsync(ct);
        await Records.CaughtWriteErrorTests.CreateTagsAndPostsAsync(su, ct);
        var (status, body) = await DeployAsync(su, code, ct);
        Assert.True(status == 200, body?.ToJsonString());
        return su;
    }
}
