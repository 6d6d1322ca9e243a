using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>A test client of /api/realtime/ws: sends JSON messages, receives the next one with a deadline.</summary>
internal sealed class WsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    public string ClientId { get; private set; } = "";
    public WebSocketState State => _socket.State;

    public static async Task<WsSession> ConnectAsync(string baseUrl, CancellationToken ct)
    {
        var s = new WsSession();
        await s._socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/realtime/ws"), ct);
        var hello = await s.NextAsync(ct);
        if ((string?)hello?["type"] != "connect") throw new InvalidOperationException("expected connect, got " + hello?.ToJsonString());
        s.ClientId = hello!["clientId"]!.GetValue<string>();
        return s;
    }

    public Task SendAsync(JsonObject message, CancellationToken ct) => SendTextAsync(message.ToJsonString(), ct);

    public async Task SendTextAsync(string text, CancellationToken ct) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    /// <summary>The next JSON message; null when the server closed the socket. Fails after the timeout (default 5 s).</summary>
    public Task<JsonObject?> NextAsync(CancellationToken ct, TimeSpan? timeout = null) => ReceiveJsonAsync(_socket, ct, timeout);

    /// <summary>The next JSON message of a socket; null when the server closed it. Fails after the timeout (default 5 s).</summary>
    internal static async Task<JsonObject?> ReceiveJsonAsync(ClientWebSocket socket, CancellationToken ct, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            WebSocketReceiveResult r;
            try { r = await socket.ReceiveAsync(buffer, cts.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { throw new TimeoutException("no WebSocket message within the deadline"); }
            if (r.MessageType == WebSocketMessageType.Close) return null;
            ms.Write(buffer, 0, r.Count);
            if (r.EndOfMessage) return JsonNode.Parse(ms.ToArray())!.AsObject();
        }
    }

    /// <summary>Sends a request and returns the reply (the next non-event message).</summary>
    public async Task<JsonObject> RequestAsync(JsonObject message, CancellationToken ct)
    {
        await SendAsync(message, ct);
        while (true)
        {
            var m = await NextAsync(ct) ?? throw new InvalidOperationException("socket closed");
            if ((string?)m["type"] != "event") return m;
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(_socket);

    /// <summary>Closes a socket normally (within 2 s, errors ignored) and disposes it.</summary>
    internal static async ValueTask CloseAsync(ClientWebSocket socket)
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
        socket.Dispose();
    }
}
