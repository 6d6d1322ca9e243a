using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Push;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Push.PushTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Tests.Push;

/// <summary>
/// $push.send from functions: from a route (queued at once) and from a record hook (queued on commit only); with two
/// servers in one process, each server's functions use that server's push queues.
/// </summary>
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

    [Theory]
    [DatabaseMatrix]
    public async Task Two_servers_in_one_process_each_send_through_their_own_queues(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var push = await TestPushServer.StartAsync(ct);
        await using var a = await PaperGaoApp.StartAsync(db, postgres, ct);
        var (subA, aliceA) = await PrepareAsync(a, push, ct);
        await using var b = await PaperGaoApp.StartAsync(db, postgres, ct); // started last: a process-wide "current" would be b's
        var (subB, aliceB) = await PrepareAsync(b, push, ct);

        foreach (var (app, user, sub) in new[] { (a, aliceA, subA), (b, aliceB, subB) })
        {
            var (status, log) = await SendAsync(app.Client, HttpMethod.Post, "/api/notify?u=" + user, null, ct);
            Assert.True(status == 200, log?.ToJsonString());
            using var su = await app.SuperuserClientAsync(ct);
            Assert.Equal(1, (await WaitForSendAsync(su, log!["id"]!.GetValue<string>(), ct))["accepted"]!.GetValue<long>());
            Assert.Single(await push.MessagesAsync(ct, sub));
        }
        var projectA = (await a.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var projectB = (await b.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var queuesA = a.Services.GetRequiredService<PushQueues>();
        var queuesB = b.Services.GetRequiredService<PushQueues>();
        Assert.True(queuesA.Serves(projectA) && queuesB.Serves(projectB));
        Assert.False(queuesB.Serves(projectA), "a's function sent through b's queues");
        Assert.False(queuesA.Serves(projectB), "b's function sent through a's queues");
    }

    /// <summary>Web Push on, a user with a stand-in subscription, and the functions deployed; returns (subscription, user id).</summary>
    private static async Task<(string Sub, string User)> PrepareAsync(PaperGaoApp app, TestPushServer push, CancellationToken ct)
    {
        using var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await EnableAsync(su, ct);
        var userId = await Users.SignUpAsync(app, "alice@papergao.test", ct);
        using var user = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        var (sub, _) = await RegisterAsync(user, push, ct);
        var (deployed, body) = await DeployAsync(su, Code, ct);
        Assert.True(deployed == 200, body?.ToJsonString());
        return (sub, userId);
    }
}
