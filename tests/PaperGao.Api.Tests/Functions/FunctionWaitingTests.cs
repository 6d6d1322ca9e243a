using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Functions.Engine;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>
/// Handlers with code after e.next() wait inside it for the rest of the chain (here: a slow call to another server
/// before the write). They wait on threads of their own (WaitingThreads), not on the .NET pool's, so while N of them
/// wait the server's other requests, function routes included, keep being answered; then each handler's code after
/// e.next() runs.
/// </summary>
public sealed class FunctionWaitingTests(PostgresCluster postgres)
{
    private const int Waiting = 8;

    [Theory]
    [DatabaseMatrix]
    public async Task Other_requests_are_answered_while_handlers_wait_inside_e_next(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var gate = GateServer.Start();
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        foreach (var name in new[] { "slow", "marks" })
            await CreateAsync(su, new JsonObject { ["name"] = name, ["type"] = "base", ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "", ["fields"] = new JsonArray(new JsonObject { ["name"] = "note", ["type"] = "text" }) }, ct);
        var (status, body) = await DeployAsync(su, $$"""
            onRecordCreateRequest((e) => {
              e.next()
              // after e.next(): the record is written; note it in another collection
              $app.save(new Record($app.findCollectionByNameOrId("marks"), { note: e.record.get("note") }))
            }, "slow")
            onRecordCreateRequest((e) => { $http.send({ url: "{{gate.Url}}", timeout: 30 }); e.next() }, "slow")
            routerAdd("GET", "/api/ping", (e) => e.json(200, { pong: true }))
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());
        var (created, one) = await SendAsync(su, HttpMethod.Post, "/api/collections/marks/records", new { note = "before" }, ct);
        Assert.True(created == 200, one?.ToJsonString());
        var busyBefore = WaitingThreads.Busy;

        var creates = Enumerable.Range(0, Waiting)
            .Select(i => SendAsync(app.Client, HttpMethod.Post, "/api/collections/slow/records", new { note = "w" + i }, ct)).ToList();
        await WaitForAsync(() => Task.FromResult(gate.Waiting == Waiting), TimeSpan.FromSeconds(4), $"{Waiting} handlers waiting", ct);
        Assert.True(WaitingThreads.Busy >= busyBefore + Waiting, $"{WaitingThreads.Busy} calls on the waiting threads");

        // All of them wait: other requests are answered meanwhile (the gate is still closed).
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/health", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/ping", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/marks/records/" + one!["id"]!.GetValue<string>(), null, ct)).Status);
        Assert.All(creates, c => Assert.False(c.IsCompleted));

        gate.Open();
        foreach (var (s, b) in await Task.WhenAll(creates)) Assert.True(s == 200, b?.ToJsonString());
        var marks = await GetJsonAsync(su, "/api/collections/marks/records?perPage=50&filter=" + Uri.EscapeDataString("note ~ 'w'"), ct);
        Assert.Equal(Waiting, marks["totalItems"]!.GetValue<int>());
    }

    /// <summary>An HTTP server on localhost that holds every request until it is opened, then answers 200 "ok".</summary>
    private sealed class GateServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<Task> _connections = [];
        private Task _accepting = Task.CompletedTask;
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        public string Url => $"http://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}/gate";

        public static GateServer Start()
        {
            var g = new GateServer();
            g._listener.Start();
            g._accepting = g.AcceptAsync();
            return g;
        }

        public void Open() => _open.TrySetResult();

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync();
                    lock (_connections) _connections.Add(ServeAsync(client));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // stopped
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer);
                    if (n == 0) return;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }
                Interlocked.Increment(ref _waiting);
                await _open.Task;
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray());
            }
        }

        public async ValueTask DisposeAsync()
        {
            Open();
            _listener.Stop();
            await _accepting;
            Task[] open;
            lock (_connections) open = [.. _connections];
            try { await Task.WhenAll(open); }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // a client that went away
            }
        }
    }
}
