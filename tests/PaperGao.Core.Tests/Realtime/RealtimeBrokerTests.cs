using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Core.Tests.Realtime;

/// <summary>The transport-free broker: counts, auth binding, bounded queues; the bus codec's chunking.</summary>
public sealed class RealtimeBrokerTests
{
    [Fact]
    public void Connections_are_counted_per_project_and_a_full_queue_drops_the_client()
    {
        var broker = new RealtimeBroker(new RealtimeOptions { QueueCapacity = 2 });
        var a = broker.Connect("main", "1.2.3.4");
        var b = broker.Connect("main", "1.2.3.4");
        broker.Connect("shop", "1.2.3.4");
        Assert.Equal(2, broker.ConnectionCount("main"));
        Assert.Equal(1, broker.ConnectionCount("shop"));
        Assert.Equal(0, broker.ConnectionCount("none"));
        Assert.Same(a, broker.Find("main", a.Id));
        Assert.Null(broker.Find("shop", a.Id)); // ids are per project

        var m = new RealtimeMessage("x", "{}"u8.ToArray());
        Assert.True(a.TrySend(m));
        Assert.True(a.TrySend(m));
        Assert.False(a.TrySend(m));
        Assert.True(a.WasDropped);
        Assert.True(a.Closed.IsCancellationRequested);
        broker.Disconnect(a);
        Assert.Equal(1, broker.ConnectionCount("main"));
        broker.DisconnectProject("main");
        Assert.Equal(0, broker.ConnectionCount("main"));
        Assert.True(b.Closed.IsCancellationRequested);
    }

    [Fact]
    public void Only_a_guest_client_can_be_bound_to_an_auth()
    {
        var broker = new RealtimeBroker(new RealtimeOptions());
        var c = broker.Connect("main", "");
        RealtimeBroker.SetSubscriptions(c, RealtimeAuth.Guest, []);
        var su = new RealtimeAuth(null, IsSuperuser: true);
        RealtimeBroker.SetSubscriptions(c, su, RealtimeBroker.Parse(["p/*"]));
        Assert.Equal(403, Assert.Throws<ApiError>(() => RealtimeBroker.SetSubscriptions(c, RealtimeAuth.Guest, [])).Status);
        Assert.Single(c.Subscriptions);
    }

    [Fact]
    public void Bus_notices_over_the_payload_limit_travel_in_chunks_and_own_notices_are_ignored()
    {
        var sender = new RealtimeBusCodec("node-a");
        var receiver = new RealtimeBusCodec("node-b");
        var notice = new JsonObject { ["t"] = "r", ["p"] = "main", ["big"] = new string('é', 20_000) };
        var payloads = sender.Encode(notice).ToList();
        Assert.True(payloads.Count > 1);
        Assert.All(payloads, p => Assert.True(System.Text.Encoding.UTF8.GetByteCount(p) <= IRealtimeBus.MaxPayload));
        JsonObject? got = null;
        foreach (var p in payloads)
        {
            Assert.Null(sender.Decode(p)); // its own
            got = receiver.Decode(p);
        }
        Assert.Equal(new string('é', 20_000), (string?)got!["big"]);
        Assert.Null(receiver.Decode("not json"));
        Assert.Null(receiver.Decode("{\"n\":\"x\",\"t\":\"k\",\"m\":\"1\",\"x\":5,\"of\":2,\"d\":\"\"}"));
    }
}
