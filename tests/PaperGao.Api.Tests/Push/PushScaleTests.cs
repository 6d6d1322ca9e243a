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
/// server starts again. Delivering to all 100,000 takes minutes on a loaded machine, so the big send is watched for
/// its first 2,500 deliveries (memory, cursor) and a complete send goes to 1,000 of the same table. The users and devices are written straight through the project's database (one transaction,
/// multi-row INSERTs): signing up 100,000 users through the API would take minutes. The devices are FCM tokens of
/// the stand-in's bulk mode, which keeps a count per token and no message bodies.
/// </summary>
public sealed class PushScaleTests(PostgresCluster postgres)
{
    private const string BulkPrefix = "bulk-";

    [Theory]
    [DatabaseMatrix]
    public async Task A_send_to_a_filter_matching_100000_users_is_read_in_pages_in_bounded_memory_and_reaches_each_device_once(DatabaseKind db)
    {
        const int users = 100_000;
        const int watched = 2_500;
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await push.ConfigureFcmBulkAsync(BulkPrefix, 0, ct);
        await SeedAsync(app, users, ct);
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;

        // The dry run counts them all (and lists the first 100).
        var (status, report) = await SendAsync(su, HttpMethod.Post, "/api/push/send",
            new { collection = "users", filter = "email ~ '@bulk.test'", title = "To everyone", dryRun = true }, ct);
        Assert.True(status == 200, report?.ToJsonString());
        Assert.Equal(users, report!["recipients"]!.GetValue<long>());
        Assert.Equal(100, report["devices"]!.AsArray().Count);

        // A complete send over the same 100,000-row table: 1,000 matching users, each device exactly one message.
        var small = await SendAsync202(su, new { collection = "users", filter = "email ~ 'n000' && email ~ '@bulk.test'", title = "To a thousand" }, ct);
        var done = await WaitForSendAsync(su, small, ct, TimeSpan.FromMinutes(3));
        Assert.True(done["status"]!.GetValue<string>() == "done" && done["accepted"]!.GetValue<long>() == 1_000, done.ToJsonString());
        var reached = await push.FcmBulkAsync(ct);
        Assert.True(reached["devices"]!.GetValue<int>() == 1_000 && reached["messages"]!.GetValue<int>() == 1_000 && reached["repeated"]!.GetValue<int>() == 0, reached.ToJsonString());

        // The real send to all 100,000: while its first deliveries go out, the live managed memory stays far below what
        // holding the audience takes (100,000 devices with 160-character tokens: over 60 MB); a load-all send would
        // hold them all before its first delivery. Delivering all 100,000 takes minutes on a loaded 2-core machine,
        // so the test watches the first 2,500 and its cursor, then stops the server (the rest is handed back).
        await push.ConfigureFcmBulkAsync(BulkPrefix, 0, ct); // counts from zero
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var id = await SendAsync202(su, new { collection = "users", filter = "email ~ '@bulk.test'", title = "To everyone" }, ct);
        long peak = 0;
        await WaitForAsync(async () =>
        {
            peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            return (await push.FcmBulkAsync(ct))["messages"]!.GetValue<int>() >= watched;
        }, "the first deliveries", ct, TimeSpan.FromMilliseconds(500));
        Assert.True(peak < 40L << 20, $"managed memory grew by {peak >> 20} MB while the send ran");
        var log = await GetJsonAsync(su, "/api/push/sends/" + id, ct);
        Assert.True(log["status"]!.GetValue<string>() == "sending" && log["recipients"]!.GetValue<long>() == users, log.ToJsonString());
        var progress = await JobProgressAsync(project, id, ct);
        Assert.True(progress.Read > 0 && progress.Read % PushLimits.PageSize == 0 && progress.Read < users, $"cursor {progress}");
        Assert.Equal(progress.Read, progress.Accepted);
        Assert.Equal(UserDevice((int)progress.Read - 1), progress.After); // ids in order: the last device of the last finished page
        var first = await push.FcmBulkAsync(ct);
        Assert.Equal(0, first["repeated"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_send_stopped_with_its_server_continues_after_its_cursor_when_the_server_starts_again(DatabaseKind db)
    {
        const int users = 6_000;
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await push.ConfigureFcmBulkAsync(BulkPrefix, 2, ct); // a slower push service: 2 ms per message
        await SeedAsync(app, users, ct);
        var id = await SendAsync202(su, new { collection = "users", filter = "email ~ '@bulk.test'", title = "Survives a restart" }, ct);

        // Stop the server once half of the devices (6 of 12 pages) were reached, then start it again on the same data.
        await WaitForAsync(async () => (await push.FcmBulkAsync(ct))["messages"]!.GetValue<int>() >= users / 2, "half delivered", ct);
        su.Dispose();
        await app.RestartAsync();
        var before = (await push.FcmBulkAsync(ct))["messages"]!.GetValue<int>();
        Assert.True(before < users, "the send finished before the stop: " + before);

        using var again = await app.SuperuserClientAsync(ct);
        var log = await WaitForSendAsync(again, id, ct, TimeSpan.FromMinutes(3));
        var reached = await push.FcmBulkAsync(ct);
        Assert.True(reached["devices"]!.GetValue<int>() == users, reached.ToJsonString()); // every device at least once
        // Only the pages in flight at the stop go out twice (3 pages of 500 at most, plus what the workers held), not the
        // 3,000 or more reached before it (a send resumed from its first device would repeat all of those).
        var repeated = reached["repeated"]!.GetValue<int>();
        Assert.True(repeated <= 3 * PushLimits.PageSize + PushLimits.Concurrency && repeated < before, reached.ToJsonString() + " before the stop: " + before);
        Assert.True(log["status"]!.GetValue<string>() == "done" && log["accepted"]!.GetValue<long>() == users, log.ToJsonString());
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        Assert.Empty(await PushJobStore.ClaimExpiredAsync(project.Database, project.Time, 10, new HashSet<string>(), ct)); // the job row is gone
    }

    private static async Task<PushProgress> JobProgressAsync(Project project, string id, CancellationToken ct)
    {
        var json = await project.Database.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            return (string)(await project.Database.ScalarAsync(conn, null, $"SELECT \"job\" FROM \"_pushJobs\" WHERE \"id\" = {p.Add(id)}", p, ct))!;
        }, ct);
        return PushJobJson.Read(json)!.Progress;
    }

    private static Task WaitForAsync(Func<Task<bool>> done, string what, CancellationToken ct, TimeSpan? every = null) =>
        Eventually.UntilAsync(done, ct, what, TimeSpan.FromMinutes(2), every);

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
        var now = Core.Common.DateTimes.Now(TimeProvider.System);
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
                    $"({dp.Add(UserDevice(i))}, {dp.Add(collection.Id)}, {dp.Add(UserId(i))}, {dp.Add(PushDevice.Fcm)}, {dp.Add($"{BulkPrefix}{i:D9}{tokenTail}")}, '', '', '', {dp.Add(now)}, {dp.Add(now)})");
                await d.ExecuteAsync(tx, "INSERT INTO \"_pushDevices\" (\"id\", \"collectionId\", \"userId\", \"platform\", \"endpoint\", \"p256dh\", \"auth\", \"topics\", \"created\", \"updated\") VALUES "
                    + string.Join(", ", devices), dp, ct);
            }
        }, ct);
    }

    private static string UserId(int i) => $"u{i:D14}";

    private static string UserDevice(int i) => $"d{i:D14}";
}
