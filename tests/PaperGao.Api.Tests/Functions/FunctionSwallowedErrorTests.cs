using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>
/// A hook that runs in the write's transaction and wraps a nested $app.save that fails (a unique violation) in
/// try/catch. The server's errors are not JavaScript exceptions: the catch does not see them, and the whole write fails
/// with the nested save's error on both databases, nothing stored. So a function cannot leave PostgreSQL's transaction
/// aborted behind a write answered as saved (docs/functions.md, "Errors inside a write").
/// </summary>
public sealed class FunctionSwallowedErrorTests(PostgresCluster postgres)
{
    private const string Code = """
        onRecordCreate((e) => {
          const tag = () => { try { $app.save(new Record($app.findCollectionByNameOrId("tags"), { text: "taken" })) } catch (err) {} }
          if (e.record.get("title") === "before") tag()
          e.next()
          if (e.record.get("title") === "after") tag()
        }, "posts")
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task A_failed_nested_save_fails_the_write_even_inside_a_catch(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await Records.CaughtWriteErrorTests.CreateTagsAndPostsAsync(su, ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        foreach (var (id, title) in new[] { ("lastwrite000001", "after"), ("firstwrite00001", "before") })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id, title }, ct);
            Assert.True(status == 400, $"{title}: {status} {body?.ToJsonString()}");
            Assert.Equal("validation_not_unique", (string?)body!["data"]!["text"]!["code"]); // the nested save's error
            Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct)).Status);
        }
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/tags/records", ct))["totalItems"]!.GetValue<int>());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "plain" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
    }
}
