using System.Net.Sockets;
using System.Text;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// Resource bounds (security.md item 34, issue 5 backpressure): a client that never reads is dropped without slowing the
/// others; 1,000 connects and disconnects leave RSS and handle counts where they were; the idle timeout ends streams.
/// </summary>
public sealed class RealtimeResourceTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_client_that_never_reads_is_dropped_while_the_others_keep_up(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        await using var node = await RealtimeNode.StartAsync(database?.ConnectionString, ct, extraArgs: "--PaperGao:RealtimeQueue=32");
        await CreateMessagesAsync(node.Superuser, ct, rule: "");

        // The stalled client: a raw socket with a tiny receive buffer that reads PB_CONNECT and then nothing.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var uri = new Uri(node.BaseUrl);
        await stalled.ConnectAsync(uri.Host, uri.Port, ct);
        await stalled.SendAsync(Encoding.ASCII.GetBytes($"GET /api/realtime HTTP/1.1\r\nHost: {uri.Authority}\r\n\r\n"), ct);
        var head = new StringBuilder();
        var buf = new byte[1024];
        while (!head.ToString().Contains("\"clientId\":\"", StringComparison.Ordinal) || !head.ToString().Contains("\"}", StringComparison.Ordinal))
        {
            var n = await stalled.ReceiveAsync(buf, ct);
            Assert.True(n > 0, "stream ended early");
            head.Append(Encoding.ASCII.GetString(buf, 0, n));
        }
        var text = head.ToString();
        var at = text.IndexOf("\"clientId\":\"", StringComparison.Ordinal) + 12;
        var stalledId = text[at..text.IndexOf('"', at)];
        Assert.Equal(204, await SubscribeAsync(node.Guest, stalledId, ct, "messages/*"));

        await using var healthy = await SseStream.OpenAsync(node.NewClient(), ct);
        Assert.Equal(204, await SubscribeAsync(node.Guest, healthy.ClientId, ct, "messages/*"));
        var before = node.Usage();
        var payload = new string('p', 16_000);
        var dropped = false;
        for (var i = 0; i < 400 && !dropped; i++)
        {
            await CreateMessageAsync(node.Superuser, new { text = payload, room = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ct);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await healthy.NextAsync(ct)).Json["record"]!["room"]!.GetValue<string>());
            // Once dropped, the client id is gone: subscribing with it is 404.
            if (i % 20 == 19) dropped = await SubscribeAsync(node.Guest, stalledId, ct, "messages/*") == 404;
        }
        Assert.True(dropped, "the stalled client was never dropped");
        var after = node.Usage();
        Assert.True(after.Rss - before.Rss < 64L * 1024 * 1024, $"RSS grew by {(after.Rss - before.Rss) / 1024 / 1024} MB");
        // Its connection was cut: reading now reaches the end of the stream (or a reset).
        stalled.ReceiveTimeout = 10_000;
        var total = 0;
        try
        {
            int n;
            while ((n = await stalled.ReceiveAsync(buf, ct)) > 0) total += n;
        }
        catch (SocketException) { }
        Assert.True(total < 32 * 1024 * 1024, "the server kept queueing for a dropped client");
    }

    [Fact]
    public async Task A_thousand_connects_and_disconnects_leave_no_leak_and_idle_streams_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var node = await RealtimeNode.StartAsync(null, ct, extraArgs: "--PaperGao:RealtimeIdleSeconds=2");
        await CreateMessagesAsync(node.Superuser, ct, rule: "");
        using var http = node.NewClient();
        async Task CycleAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                await using var s = await SseStream.OpenAsync(http, ct);
                Assert.Equal(204, await SubscribeAsync(http, s.ClientId, ct, "messages/*", "messages/abc"));
            }
        }
        await CycleAsync(200); // warm up the JIT, pools and caches
        await Drain(node, http, ct);
        var before = node.Usage();
        await CycleAsync(1000);
        await Drain(node, http, ct);
        var after = node.Usage();
        Assert.True(after.Handles - before.Handles <= 20, $"handles {before.Handles} -> {after.Handles}");
        Assert.True(after.Rss - before.Rss < 40L * 1024 * 1024, $"RSS {before.Rss / 1024 / 1024} MB -> {after.Rss / 1024 / 1024} MB");

        // Idle timeout: a stream without messages is ended by the server (2 s here; 5 min by default).
        await using var idle = await SseStream.OpenAsync(node.NewClient(), ct);
        var ended = await Task.WhenAny(idle.Ended, Task.Delay(TimeSpan.FromSeconds(15), ct));
        Assert.Same(idle.Ended, ended);
        Assert.Equal(404, await SubscribeAsync(http, idle.ClientId, ct, "messages/*"));
    }

    [Fact]
    public async Task The_hard_lifetime_ends_a_busy_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var node = await RealtimeNode.StartAsync(null, ct, extraArgs: ["--PaperGao:RealtimeIdleSeconds=60", "--PaperGao:RealtimeMaxLifetimeSeconds=3"]);
        await CreateMessagesAsync(node.Superuser, ct, rule: "");
        await using var s = await SseStream.OpenAsync(node.NewClient(), ct);
        Assert.Equal(204, await SubscribeAsync(node.Guest, s.ClientId, ct, "messages/*"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var received = 0;
        while (!s.Ended.IsCompleted && DateTime.UtcNow < deadline)
        {
            await CreateMessageAsync(node.Superuser, new { text = "tick" }, ct);
            try { await s.NextAsync(ct, TimeSpan.FromSeconds(2)); received++; }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException) { }
        }
        Assert.True(s.Ended.IsCompleted, "the stream outlived its 3 s lifetime");
        Assert.True(received > 0);
    }

    /// <summary>Waits until the server has let go of every closed stream: a fresh client is the only one left delivering.</summary>
    private static async Task Drain(RealtimeNode node, HttpClient http, CancellationToken ct)
    {
        await using var probe = await SseStream.OpenAsync(http, ct);
        Assert.Equal(204, await SubscribeAsync(http, probe.ClientId, ct, "messages/*"));
        await CreateMessageAsync(node.Superuser, new { text = "probe" }, ct);
        await probe.NextAsync(ct);
        GC.KeepAlive(node);
    }
}
