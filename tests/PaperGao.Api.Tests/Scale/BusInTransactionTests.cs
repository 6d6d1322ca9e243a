using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// With <c>--realtime-notify transaction</c> a record write tells the other nodes inside its own transaction (pg_notify,
/// delivered by PostgreSQL at commit): the notice is out as soon as the write committed, before any after-commit work
/// of the node (so a node that dies there has told the cluster already), and a write that rolled back sends nothing.
/// By default the notice goes out right after the commit, in the commit's own round trip (one batch: the write's last
/// statement, COMMIT, pg_notify), so also before any after-commit work and before the answer. A raw LISTEN connection is
/// the other node.
/// </summary>
public sealed class BusInTransactionTests(PostgresCluster postgres)
{
    private static Func<PaperGaoHostSettings, Task> Mode(string mode) => s =>
    {
        s.RealtimeNotify = mode;
        return Task.CompletedTask;
    };

    [Fact]
    public async Task By_default_a_write_is_announced_after_its_commit_and_before_its_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateNotesAsync(su, ct);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);

        const string id = "aftercommit0001";
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/collections/notes/records", new { id, text = "x" }, ct)).Status);
        // Published before the answer (RealtimeFanout); LISTEN delivery is asynchronous, hence the wait.
        var notice = await bus.NextForAsync(id, ct);
        Assert.Equal("create", (string?)notice["a"]);
    }

    [Theory]
    [InlineData("transaction")]
    [InlineData("after-commit")]
    public async Task A_committed_write_is_announced_before_its_after_commit_work_runs(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, Mode(mode), ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateNotesAsync(su, ct);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);

        // An after-commit handler that holds the node until the notice was heard: with the notice published after the
        // commit by the after-commit work (as before), it would never be heard while the node is stuck here.
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        project.Hooks.AfterCreate.Bind(async (e, next) =>
        {
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
            await next();
        });

        const string id = "committed000001";
        var create = SendAsync(su, HttpMethod.Post, "/api/collections/notes/records", new { id, text = "x" }, ct);
        var notice = await bus.NextForAsync(id, ct);
        Assert.False(create.IsCompleted); // the node is still inside its after-commit work
        Assert.Equal("create", (string?)notice["a"]);
        heard.SetResult();
        Assert.Equal(200, (await create).Status);
    }

    [Theory]
    [InlineData("transaction")]
    [InlineData("after-commit")]
    public async Task A_rolled_back_write_announces_nothing_and_two_updates_in_one_transaction_are_two_notices(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, Mode(mode), ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateNotesAsync(su, ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { batch = new { enabled = true, maxRequests = 10 } }, ct)).Status);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);

        // The first create ran its SQL (and its pg_notify) inside the batch's transaction; the second fails: rollback.
        var (status, _) = await SendAsync(su, HttpMethod.Post, "/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url = "/api/collections/notes/records", body = new { id = "rolledback00001", text = "a" } },
                new { method = "PATCH", url = "/api/collections/notes/records/missing00000001", body = new { text = "b" } },
            },
        }, ct);
        Assert.Equal(400, status);

        (status, _) = await SendAsync(su, HttpMethod.Post, "/api/batch", new
        {
            requests = new object[]
            {
                new { method = "POST", url = "/api/collections/notes/records", body = new { id = "twice0000000001", text = "a" } },
                new { method = "PATCH", url = "/api/collections/notes/records/twice0000000001", body = new { text = "b" } },
                new { method = "PATCH", url = "/api/collections/notes/records/twice0000000001", body = new { text = "c" } },
            },
        }, ct);
        Assert.Equal(200, status);

        // Notices arrive in commit order: once the later transaction's three are here, a notice of the rolled-back
        // create would have arrived before them.
        var actions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var n = await bus.NextAsync(ct);
            Assert.NotEqual("rolledback00001", (string?)n["i"]);
            Assert.Equal("twice0000000001", (string?)n["i"]);
            actions.Add((string)n["a"]!);
        }
        Assert.Equal(["create", "update", "update"], actions);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/api/collections/notes/records/rolledback00001", null, ct)).Status);
    }

    /// <summary>
    /// A lone create or update sends its INSERT or UPDATE together with the COMMIT: a unique violation then comes out of
    /// the commit and must still be answered as a field error, leave nothing behind and announce nothing.
    /// </summary>
    [Theory]
    [InlineData("transaction")]
    [InlineData("after-commit")]
    public async Task A_unique_violation_sent_with_the_commit_is_a_field_error_and_announces_nothing(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, Mode(mode), ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "tags",
            ["type"] = "base",
            ["createRule"] = "",
            ["updateRule"] = "",
            ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }),
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_tags_text ON tags (text)"),
        }, ct);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);
        var guest = app.CreateClient();

        Assert.Equal(200, (await SendAsync(guest, HttpMethod.Post, "/api/collections/tags/records", new { id = "uniquefirst0001", text = "a" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(guest, HttpMethod.Post, "/api/collections/tags/records", new { id = "uniquesecond001", text = "b" }, ct)).Status);

        var (status, body) = await SendAsync(guest, HttpMethod.Post, "/api/collections/tags/records", new { id = "uniquerefused01", text = "a" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_not_unique", (string?)body!["data"]!["text"]!["code"]);
        (status, _) = await SendAsync(guest, HttpMethod.Post, "/api/collections/tags/records", new { id = "uniquefirst0001", text = "c" }, ct);
        Assert.Equal(400, status);
        (status, body) = await SendAsync(guest, HttpMethod.Patch, "/api/collections/tags/records/uniquesecond001", new { text = "a" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_not_unique", (string?)body!["data"]!["text"]!["code"]);

        // The connection that carried a failed batch works on: the next writes succeed.
        Assert.Equal(200, (await SendAsync(guest, HttpMethod.Patch, "/api/collections/tags/records/uniquesecond001", new { text = "d" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(guest, HttpMethod.Post, "/api/collections/tags/records", new { id = "uniquelast00001", text = "e" }, ct)).Status);

        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/api/collections/tags/records/uniquerefused01", null, ct)).Status);
        Assert.Equal("d", (string?)(await GetJsonAsync(su, "/api/collections/tags/records/uniquesecond001", ct))["text"]);
        Assert.Equal("a", (string?)(await GetJsonAsync(su, "/api/collections/tags/records/uniquefirst0001", ct))["text"]);

        // Notices in commit order, none for the refused writes.
        var heard = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var n = await bus.NextAsync(ct);
            heard.Add($"{(string?)n["a"]} {(string?)n["i"]}");
        }
        Assert.Equal(["create uniquefirst0001", "create uniquesecond001", "update uniquesecond001", "create uniquelast00001"], heard);
    }

    /// <summary>
    /// A write whose transaction PostgreSQL aborted (a nested write's unique violation caught by a hook) commits nothing:
    /// it is refused, and the notice queued for its commit never leaves (the check in front of the COMMIT stops the batch).
    /// </summary>
    [Theory]
    [InlineData("transaction")]
    [InlineData("after-commit")]
    public async Task A_write_PostgreSQL_rolled_back_after_a_caught_error_announces_nothing(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, Mode(mode), ct);
        var su = await app.SuperuserClientAsync(ct);
        await Records.CaughtWriteErrorTests.SwallowNestedFailuresAsync(app, su, ct);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);

        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id = "swallowed000001", title = "after" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id = "announced000001", title = "x" }, ct)).Status);
        // Notices arrive in commit order: the refused write's would have come first.
        var n = await bus.NextAsync(ct);
        Assert.Equal("create announced000001", $"{(string?)n["a"]} {(string?)n["i"]}");
    }

    /// <summary>A $app.runInTransaction nested in a hook whose function throws (caught): its writes' notices never leave.</summary>
    [Theory]
    [InlineData("transaction")]
    [InlineData("after-commit")]
    public async Task A_nested_transaction_undone_in_its_savepoint_announces_nothing(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, Mode(mode), ct);
        var su = await app.SuperuserClientAsync(ct);
        await Records.CaughtWriteErrorTests.CreateTagsAndPostsAsync(su, ct);
        Assert.Equal(200, (await Functions.FunctionsTestData.DeployAsync(su, Functions.FunctionNestedWriteTests.Code, ct)).Status);
        await using var bus = await BusTap.OpenAsync(app.Settings.Db!, ct, RecordNotices);

        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id = "nestedundone001", title = "tx" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id = "lastpost0000001", title = "x" }, ct)).Status);
        // In commit order up to the last post: the first post, the post its undone tag's error hook wrote after the
        // commit, the last post; the undone tag's create would be heard among them.
        var heard = new List<string>();
        while (heard.LastOrDefault() != "lastpost0000001") heard.Add((string)(await bus.NextAsync(ct))["i"]!);
        Assert.Equal(3, heard.Count);
        Assert.Equal("nestedundone001", heard[0]);
        foreach (var id in heard)
            Assert.Equal(200, (await SendAsync(su, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct)).Status);
    }

    private static Task CreateNotesAsync(HttpClient su, CancellationToken ct) => CreateAsync(su, new JsonObject
    {
        ["name"] = "notes",
        ["type"] = "base",
        ["listRule"] = "",
        ["viewRule"] = "",
        ["createRule"] = "",
        ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }),
    }, ct);

    /// <summary>Record notices only (chunks and schema notices left out).</summary>
    private static bool RecordNotices(JsonObject n) => (string?)n["t"] == "r";
}
