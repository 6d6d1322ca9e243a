using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;
using static PaperGao.Api.Tests.Push.PushTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>
/// Large audiences: a send to a filter matching 100,000 users reads its devices a page at a time (memory stays
/// bounded, each device gets one message), and a send stopped with its server continues after its cursor when the
/// server starts again. The users and devices are written straight through the project's database (one transaction,
/// multi-row INSERTs): signing up 100,000 users through the API would take minutes. The devices are FCM tokens of
/// the stand-in's bulk mode, which keeps a count per token and no message bodies.
/// </summary>
public sealed class PushScaleTests(PostgresCluster postgres)
{
    private const string BulkPrefix = "bulk-";

    [Theory]
    [DatabaseMatrix]
    public async Task A_send_to_a_filter_matching_100000_users_reaches_each_device_once_in_bounded_memory(DatabaseKind db)
    {
        const int users = 100_000;
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await push.ConfigureFcmBulkAsync(BulkPrefix, 0, ct);
        await SeedAsync(app, users, ct);
        var send = new JsonObject { ["collection"] = "users", ["filter"] = "email ~ '@bulk.test'", ["title"] = "To everyone" };

        // The dry run counts them all (and lists the first 100).
        var dry = (JsonObject)send.DeepClone();
        dry["dryRun"] = true;
        var (status, report) = await SendAsync(su, HttpMethod.Post, "/api/push/send", dry, ct);
        Assert.True(status == 200, report?.ToJsonString());
        Assert.Equal(users, report!["recipients"]!.GetValue<long>());
        Assert.Equal(100, report["devices"]!.AsArray().Count);

        // The request only queues the send; memory while it runs stays far below what holding the audience would take
        // (100,000 devices with 160-character tokens are over 60 MB of live objects).
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var id = await SendAsync202(su, send, ct);
        long peak = 0;
        JsonNode log;
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            log = await GetJsonAsync(su, "/api/push/sends/" + id, ct);
            if (log["status"]!.GetValue<string>() is "done" or "failed") break;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("send not finished: " + log.ToJsonString());
            await Task.Delay(200, ct);
        }
        Assert.True(log["accepted"]!.GetValue<long>() == users, log.ToJsonString());
        Assert.Equal(users, log["recipients"]!.GetValue<long>());
        var reached = await push.FcmBulkAsync(ct);
        Assert.True(reached["devices"]!.GetValue<int>() == users && reached["messages"]!.GetValue<int>() == users, reached.ToJsonString());
        Assert.True(peak < 40L << 20, $"managed memory grew by {peak >> 20} MB while the send ran");
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_send_stopped_with_its_server_continues_after_its_cursor_when_the_server_starts_again(DatabaseKind db)
    {
        const int users = 20_000;
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await push.ConfigureFcmBulkAsync(BulkPrefix, 2, ct); // a slow push service: 8 in flight, 2 ms each
        await SeedAsync(app, users, ct);
        var id = await SendAsync202(su, new { collection = "users", filter = "email ~ '@bulk.test'", title = "Survives a restart" }, ct);

        // Stop the server once a quarter of the devices were reached, then start it again on the same data.
        await WaitForAsync(async () => (await push.FcmBulkAsync(ct))["messages"]!.GetValue<int>() >= users / 4, "a quarter delivered", ct);
        su.Dispose();
        await app.RestartAsync();
        var before = (await push.FcmBulkAsync(ct))["messages"]!.GetValue<int>();
        Assert.True(before < users, "the send finished before the stop: " + before);

        using var again = await app.SuperuserClientAsync(ct);
        var log = await WaitForSendAsync(again, id, ct, TimeSpan.FromMinutes(3));
        var reached = await push.FcmBulkAsync(ct);
        Assert.True(reached["devices"]!.GetValue<int>() == users, reached.ToJsonString()); // every device at least once
        // Only the pages in flight at the stop go out twice (3 pages of 500 at most, plus what the workers held), not the first quarter.
        Assert.True(reached["repeated"]!.GetValue<int>() <= 3 * PushLimits.PageSize + PushLimits.Concurrency, reached.ToJsonString() + " before the stop: " + before);
        Assert.True(log["status"]!.GetValue<string>() == "done" && log["accepted"]!.GetValue<long>() == users, log.ToJsonString());
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        Assert.Empty(await PushJobStore.ClaimExpiredAsync(project.Database, 10, new HashSet<string>(), ct)); // the job row is gone
    }

    private static async Task WaitForAsync(Func<Task<bool>> done, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(20, ct);
        }
    }

    /// <summary>
    /// <paramref name="count"/> users of "users" (emails nNNN@bulk.test: copies of one signed-up user's row with their
    /// own id, email and token key) with one FCM bulk device each, in one transaction of multi-row INSERTs.
    /// </summary>
    private static async Task SeedAsync(PaperGaoApp app, int count, CancellationToken ct)
    {
        var templateId = await Users.SignUpAsync(app, "template@papergao.test", ct);
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var collection = project.Collections.Find("users")!;
        var d = project.Database;
        var (columns, template) = await d.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            await using var cmd = d.Command(conn, null, $"SELECT * FROM {d.Dialect.Quote("users")} WHERE {d.Dialect.Quote("id")} = {p.Add(templateId)}", p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            Assert.True(await r.ReadAsync(ct));
            var names = Enumerable.Range(0, r.FieldCount).Select(r.GetName).ToArray();
            var values = new object?[r.FieldCount];
            r.GetValues(values!);
            return (names, values);
        }, ct);
        var now = Core.Common.DateTimes.Now();
        var tokenTail = ":APA91b" + new string('x', 140); // as long as a real FCM registration token
        const int batch = 500;
        await d.WriteAsync(async tx =>
        {
            for (var start = 0; start < count; start += batch)
            {
                var n = Math.Min(batch, count - start);
                var up = new SqlParams();
                var rows = Enumerable.Range(start, n).Select(i => "(" + string.Join(", ", columns.Select((c, k) => up.Add(c switch
                {
                    "id" => UserId(i),
                    "email" => $"n{i:D6}@bulk.test",
                    "tokenKey" => $"bulktokenkey{i:D9}",
                    _ => template[k] is DBNull ? null : template[k],
                }))) + ")");
                await d.ExecuteAsync(tx, $"INSERT INTO {d.Dialect.Quote("users")} ({string.Join(", ", columns.Select(d.Dialect.Quote))}) VALUES {string.Join(", ", rows)}", up, ct);
                var dp = new SqlParams();
                var devices = Enumerable.Range(start, n).Select(i =>
                    $"({dp.Add($"dev{i:D12}")}, {dp.Add(collection.Id)}, {dp.Add(UserId(i))}, {dp.Add(PushDevice.Fcm)}, {dp.Add($"{BulkPrefix}{i:D9}{tokenTail}")}, '', '', '', {dp.Add(now)}, {dp.Add(now)})");
                await d.ExecuteAsync(tx, "INSERT INTO \"_pushDevices\" (\"id\", \"collectionId\", \"userId\", \"platform\", \"endpoint\", \"p256dh\", \"auth\", \"topics\", \"created\", \"updated\") VALUES "
                    + string.Join(", ", devices), dp, ct);
            }
        }, ct);
    }

    private static string UserId(int i) => $"u{i:D14}";
}
