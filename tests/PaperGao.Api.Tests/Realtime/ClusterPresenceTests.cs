using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Realtime;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// A PostgreSQL node with no other node on its bus sends no record notices (docs/scaling.md); a node that starts is
/// acknowledged by it first, and from then on hears every write.
/// </summary>
public sealed class ClusterPresenceTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Alone_after_the_peer_lifetime_heard_ends_it_and_the_drain_waits_for_writes_that_skipped_their_notice()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider();
        var listening = true;
        var p = new ClusterPresence(() => listening, clock);
        Assert.False(p.IsAlone); // just started: the others may not have spoken yet
        Assert.False(p.TryEnterUnannounced());
        clock.Advance(RealtimeLimits.PeerLifetime + TimeSpan.FromSeconds(1));
        Assert.True(p.IsAlone);
        listening = false; // a bus that does not listen cannot know
        Assert.False(p.IsAlone);
        listening = true;

        Assert.True(p.TryEnterUnannounced());
        Assert.Equal(1, p.Unannounced);
        p.Heard();
        Assert.False(p.IsAlone);
        Assert.False(p.TryEnterUnannounced());
        Assert.Equal(1, p.Unannounced);
        var drain = p.DrainAsync(TimeSpan.FromSeconds(30), ct);
        Assert.False(drain.IsCompleted); // the write that skipped its notice has not ended
        p.LeaveUnannounced();
        Assert.True(await drain);

        // The wait is bounded.
        clock.Advance(RealtimeLimits.PeerLifetime + TimeSpan.FromSeconds(1));
        Assert.True(p.TryEnterUnannounced());
        Assert.False(await p.DrainAsync(TimeSpan.FromMilliseconds(50), ct));
    }

    [Fact]
    public async Task A_node_alone_skips_record_notices_and_a_node_that_starts_hears_its_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, clock, ct);
        var su = await a.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct);
        await using var tap = await BusTap.OpenAsync(a.Settings.Db!, ct);
        var presence = PresenceOf(a);

        // Just started: it cannot know yet that nobody listens.
        var first = await CreateMessageAsync(su, new { text = "one", room = "public" }, ct);
        await tap.NextForAsync(first, ct);

        // Nobody heard for the peer lifetime: the write tells nobody. The settings notice after it still goes out, and
        // notices arrive in commit order, so the record's would have come before it.
        clock.Advance(RealtimeLimits.PeerLifetime + TimeSpan.FromSeconds(1));
        Assert.True(presence.IsAlone);
        var second = await CreateMessageAsync(su, new { text = "two", room = "public" }, ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { meta = new { appName = "Alone" } }, ct)).Status);
        var (_, before) = await tap.WaitForAsync(n => (string?)n["t"] == "g", "the settings notice", ct);
        Assert.DoesNotContain(before, n => (string?)n["i"] == second);
        Assert.Equal(0, presence.Unannounced); // the write has ended

        // A node starts: node A acknowledges it (no longer alone), and its realtime clients hear A's writes.
        await using var b = a.StartNode(clock);
        var relayB = b.Services.GetRequiredService<RealtimeFanout>().Relay;
        await relayB.Joined.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(1, relayB.Acknowledgements);
        Assert.False(presence.IsAlone);
        using var guest = b.CreateClient();
        await using var stream = await SseStream.OpenAsync(guest, ct);
        Assert.Equal(204, await SubscribeAsync(guest, stream.ClientId, ct, "messages/*"));
        var third = await CreateMessageAsync(su, new { text = "three", room = "public" }, ct);
        var frame = await stream.NextAsync(ct);
        Assert.Equal(third, frame.Json["record"]!["id"]!.GetValue<string>());
        await tap.NextForAsync(third, ct);
    }

    private static ClusterPresence PresenceOf(PaperGaoApp node) => node.Services.GetRequiredService<RealtimeFanout>().Relay.Presence;
}
