using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>A test client of GraphQL over WebSocket (graphql-transport-ws, what the graphql-ws client speaks) at /api/graphql.</summary>
internal sealed class GraphQLWsSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    /// <summary>Connects and completes connection_init / connection_ack (with a token in the payload when given).</summary>
    public static async Task<GraphQLWsSession> ConnectAsync(string baseUrl, CancellationToken ct, string? token = null)
    {
        var s = new GraphQLWsSession();
        s._socket.Options.AddSubProtocol("graphql-transport-ws");
        await s._socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/graphql"), ct);
        var init = new JsonObject { ["type"] = "connection_init" };
        if (token is not null) init["payload"] = new JsonObject { ["Authorization"] = token };
        await s.SendAsync(init, ct);
        var ack = await s.NextAsync(ct);
        if ((string?)ack?["type"] != "connection_ack") throw new InvalidOperationException("expected connection_ack, got " + ack?.ToJsonString());
        return s;
    }

    /// <summary>
    /// Starts a subscription and returns its id once the server has registered it: a query sent after it on the same
    /// connection is answered after the subscription was set up, so the method waits for that query's completion.
    /// </summary>
    public async Task<string> SubscribeAsync(string query, CancellationToken ct)
    {
        var id = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new JsonObject { ["id"] = id, ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = query } }, ct);
        var probe = (++_nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new JsonObject { ["id"] = probe, ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = "{ __typename }" } }, ct);
        while (true)
        {
            var m = await NextAsync(ct) ?? throw new InvalidOperationException("socket closed");
            if ((string?)m["id"] == id && (string?)m["type"] is "error" or "complete") throw new InvalidOperationException("subscription refused: " + m.ToJsonString());
            if ((string?)m["id"] == probe && (string?)m["type"] == "complete") return id;
        }
    }

    /// <summary>The payload of the next "next" message of a subscription (fails after the timeout, default 10 s).</summary>
    public async Task<JsonNode> NextEventAsync(string id, CancellationToken ct, TimeSpan? timeout = null)
    {
        while (true)
        {
            var m = await NextAsync(ct, timeout ?? TimeSpan.FromSeconds(10)) ?? throw new InvalidOperationException("socket closed");
            if ((string?)m["id"] != id) continue;
            if ((string?)m["type"] == "next") return m["payload"]!;
            throw new InvalidOperationException("expected an event, got " + m.ToJsonString());
        }
    }

    private async Task SendAsync(JsonObject message, CancellationToken ct) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);

    private Task<JsonObject?> NextAsync(CancellationToken ct, TimeSpan? timeout = null) => Realtime.WsSession.ReceiveJsonAsync(_socket, ct, timeout);

    public ValueTask DisposeAsync() => Realtime.WsSession.CloseAsync(_socket);
}
