using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Api.Push;
using PaperGao.Core.Push;
using static PaperGao.Api.Tests.Push.PushTestKit;

namespace PaperGao.Api.Tests.Push;

/// <summary>
/// Sends survive a stop: each accepted send has a "_pushJobs" row with a lease; rows whose lease has passed (their
/// node stopped or died) are claimed and run again, rows another node still holds are left alone.
/// </summary>
public sealed class PushResumeTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_send_left_by_a_stopped_node_is_resumed_and_one_still_leased_is_not(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableAsync(su, ct);
        var aliceId = await Users.SignUpAsync(app, "alice@papergao.test", ct);
        using var alice = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        var (sub, _) = await RegisterAsync(alice, push, ct);
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;

        // What a node that stopped mid-send leaves behind: the log says "sending", the job's lease has run out.
        var now = project.Now();
        var orphan = new PushJob(PushDeviceStore.NewId(), new PushToUsers([aliceId], null), new PushMessage("Left behind", "", null, 60, "normal", ""), 1, now);
        await PushSendStore.InsertAsync(project.Database, new PushSendLog(orphan.SendId, PushSendLog.Sending, "users:1", 1, 0, 0, 0, 0, "", now, now), ct);
        await PushJobStore.InsertAsync(project.Database, orphan, DateTimes.Format(DateTimeOffset.UtcNow.AddMinutes(-1)), ct);
        // A send another live node holds (its lease runs for two more minutes): not taken.
        var leased = orphan with { SendId = PushDeviceStore.NewId(), Message = orphan.Message with { Title = "Held elsewhere" } };
        await PushSendStore.InsertAsync(project.Database, new PushSendLog(leased.SendId, PushSendLog.Sending, "users:1", 1, 0, 0, 0, 0, "", now, now), ct);
        await PushJobStore.InsertAsync(project.Database, leased, PushJobStore.LeaseFromNow(project.Time), ct);

        var log = await WaitForSendAsync(su, orphan.SendId, ct);
        Assert.True(log["accepted"]!.GetValue<long>() == 1, log.ToJsonString());
        var m = Assert.Single(await push.MessagesAsync(ct, sub))!;
        Assert.Contains("Left behind", m["payload"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await PushJobStore.ClaimExpiredAsync(project.Database, project.Time, 10, new HashSet<string>(), ct)); // the done job's row is gone, the leased one is not due

        // After another resumer sweep (run here rather than waited for), the leased send is still untouched.
        await app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<PushResumer>().Single().ResumeAsync(project, ct);
        Assert.Equal("sending", (await PushSendStore.FindAsync(project.Database, leased.SendId, ct))!.Status);
        Assert.Single(await push.MessagesAsync(ct, sub));

        // A normal send leaves no job row behind once done.
        var id = await SendAsync202(su, new { users = new[] { aliceId }, title = "Normal" }, ct);
        Assert.Equal(1, (await WaitForSendAsync(su, id, ct))["accepted"]!.GetValue<long>());
        await PushJobStore.SetLeaseAsync(project.Database, leased.SendId, PushJobStore.LeaseFromNow(project.Time), ct);
        Assert.Empty(await PushJobStore.ClaimExpiredAsync(project.Database, project.Time, 10, new HashSet<string>(), ct));
    }
}
