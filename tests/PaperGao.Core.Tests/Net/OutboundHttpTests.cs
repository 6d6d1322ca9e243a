using System.Net;
using System.Net.Sockets;
using System.Text;
using PaperGao.Core.Net;
using Xunit;

namespace PaperGao.Core.Tests.Net;

public class OutboundHttpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1.2.3")]
    [InlineData("10.0.0.5")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    public void Blocks_internal_addresses(string address) => Assert.True(AddressRules.IsBlocked(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Allows_public_addresses(string address) => Assert.False(AddressRules.IsBlocked(IPAddress.Parse(address)));

    [Fact]
    public void Allow_list_takes_names_addresses_and_blocks()
    {
        var list = new AllowList(["Internal.Example.", "127.0.0.1", "10.1.0.0/16", "[::1]"]);
        Assert.True(list.AllowsHost("internal.example"));
        Assert.False(list.AllowsHost("example"));
        Assert.True(list.AllowsAddress(IPAddress.Parse("127.0.0.1")));
        Assert.True(list.AllowsAddress(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(list.AllowsAddress(IPAddress.Parse("127.0.0.2")));
        Assert.True(list.AllowsAddress(IPAddress.Parse("10.1.200.3")));
        Assert.False(list.AllowsAddress(IPAddress.Parse("10.2.0.1")));
        Assert.True(list.AllowsAddress(IPAddress.Parse("::1")));
        Assert.Equal(new AllowList(["10.1.0.0/16", "internal.example"]).Key, new AllowList(["internal.example", "10.1.0.0/16"]).Key);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/")]
    [InlineData("http://localhost:{0}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/")]
    [InlineData("http://2130706433:{0}/")]
    [InlineData("http://0x7f000001:{0}/")]
    [InlineData("http://127.1:{0}/")]
    public async Task Refuses_loopback_in_any_spelling(string template)
    {
        await using var server = await OneShotServer.StartAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, server.Port);
        var e = await Assert.ThrowsAsync<OutboundException>(() => OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), Ct));
        Assert.Contains("not allowed", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task Allow_listed_host_is_reached_and_its_redirect_to_a_blocked_address_is_refused()
    {
        await using var target = await OneShotServer.StartAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecret");
        await using var redirector = await OneShotServer.StartAsync(
            $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{target.Port}/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var client = OutboundHttp.For(["localhost"]);

        using var direct = await OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{target.Port}/"), Ct, client);
        Assert.Equal("secret", Encoding.UTF8.GetString(await OutboundHttp.ReadLimitedAsync(direct, 100, Ct)));

        await Assert.ThrowsAsync<OutboundException>(() =>
            OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{redirector.Port}/"), Ct, client));
        Assert.Equal(1, redirector.Accepted);
        Assert.Equal(1, target.Accepted); // only the direct request above reached it
    }

    [Fact]
    public async Task Caps_response_size_and_refuses_other_schemes()
    {
        await using var server = await OneShotServer.StartAsync("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + new string('x', 5000));
        using var res = await OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/"), Ct, OutboundHttp.For(["127.0.0.1"]));
        var e = await Assert.ThrowsAsync<OutboundException>(() => OutboundHttp.ReadLimitedAsync(res, 1000, Ct));
        Assert.Contains("larger than 1000", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<OutboundException>(() => OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, "file:///etc/passwd"), Ct));
        await Assert.ThrowsAsync<OutboundException>(() => OutboundHttp.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://user:pw@127.0.0.1:{server.Port}/"), Ct));
    }

    /// <summary>A loopback TCP server answering every connection with one fixed response.</summary>
    private sealed class OneShotServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _accepted;

        private OneShotServer(TcpListener listener, string response)
        {
            _listener = listener;
            _loop = Task.Run(() => LoopAsync(Encoding.ASCII.GetBytes(response)));
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Accepted => Volatile.Read(ref _accepted);

        public static Task<OneShotServer> StartAsync(string response)
        {
            var listener = new TcpListener(IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
            listener.Start();
            return Task.FromResult(new OneShotServer(listener, response));
        }

        private async Task LoopAsync(byte[] response)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                Interlocked.Increment(ref _accepted);
                using (client)
                {
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0) break;
                        seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    await stream.WriteAsync(response, _stop.Token);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try { await _loop; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }
}
