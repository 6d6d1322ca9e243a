using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Push.PushTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>$push.send from functions: from a route (queued at once) and from a record hook (queued on commit only).</summary>
public sealed class PushFunctionTests(PostgresCluster postgres)
{
    private const string Code = """
        routerAdd("POST", "/api/notify", (e) => {
          const log = $push.send({ users: [e.request.url.query().get("u")], title: "From a function", data: { k: "v" } })
          return e.json(200, log)
        })
        routerAdd("POST", "/api/notify-bad", (e) => e.json(200, $push.send({ users: [], title: "" })))
        onRecordCreate((e) => {
          const r = $push.send({ topic: "posts", title: "New post " + e.record.get("title") })
          e.next()
          if (!r.deferred) throw new Error("expected a deferred send inside the transaction")
          if (e.record.get("title") === "rollback") throw new BadRequestError("rolled back")
        }, "posts")
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Functions_send_with_push_send_and_a_hook_send_goes_out_only_when_the_write_commits(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await EnableAsync(su, ct);
        var aliceId = await Users.SignUpAsync(app, "alice@papergao.test", ct);
        using var alice = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        var (sub, _) = await RegisterAsync(alice, push, ct, ["posts"]);
        var (deployed, deployBody) = await DeployAsync(su, Code, ct);
        Assert.True(deployed == 200, deployBody?.ToJsonString());

        var (status, log) = await SendAsync(app.Client, HttpMethod.Post, "/api/notify?u=" + aliceId, null, ct);
        Assert.True(status == 200, log?.ToJsonString());
        Assert.Equal("queued", log!["status"]!.GetValue<string>());
        Assert.Equal(1, log["recipients"]!.GetValue<long>());
        Assert.Equal(1, (await WaitForSendAsync(su, log["id"]!.GetValue<string>(), ct))["accepted"]!.GetValue<long>());
        var first = Assert.Single(await push.MessagesAsync(ct, sub))!;
        Assert.Equal("From a function", JsonNode.Parse(first["payload"]!.GetValue<string>())!["title"]!.GetValue<string>());

        // Bad input is the API's 400 with field errors.
        var (bad, error) = await SendAsync(app.Client, HttpMethod.Post, "/api/notify-bad", null, ct);
        Assert.True(bad == 400, error?.ToJsonString());

        // From a hook: a write that rolls back sends nothing; the next one sends after its commit.
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "rollback" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "kept" }, ct)).Status);
        var all = await push.WaitForMessagesAsync(m => m.Count >= 2, ct, sub);
        var titles = all.Select(m => JsonNode.Parse(m!["payload"]!.GetValue<string>())!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(["From a function", "New post kept"], titles);
    }
}
