using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// GET /api/realtime/ws: the same broker, topics, options and rules as SSE over a WebSocket, with JSON text messages
/// (docs/realtime.md): the server says {"type":"connect","clientId"}; the client sends "auth" {token}, "subscribe"
/// {subscriptions} and "ping"; the server answers "ok" / "error" / "pong" (echoing the optional "id") and pushes
/// {"type":"event","event","data"}. Idle and hard timeouts as for SSE; any client message counts as activity.
/// </summary>
public static class WebSocketEndpoint
{
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    public static async Task ConnectAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest) throw ApiError.BadRequest("Expected a WebSocket upgrade request.");
        var project = ctx.Project();
        var broker = RealtimeConnection.Broker(ctx);
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
        // A node just started: the others may have been skipping their notices (alone); wait until they tell this one.
        await RealtimeConnection.Relay(ctx).Joined.WaitAsync(ctx.RequestAborted);
        var client = broker.Connect(project.Name, RealtimeConnection.CallerIp(ctx));
        if (ctx.Auth() is not null || ctx.IsSuperuser()) RealtimeBroker.SetSubscriptions(client, RealtimeConnection.AuthOf(ctx), []);
        using var idle = new CancellationTokenSource(broker.Options.IdleTimeout);
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, client.Closed, idle.Token, RealtimeConnection.Stopping(ctx));
        lifetime.CancelAfter(broker.Options.MaxLifetime);
        var session = new WebSocketSession(ctx, socket, client, idle, broker.Options.IdleTimeout);
        try
        {
            await session.SendAsync(new JsonObject { ["type"] = "connect", ["clientId"] = client.Id }, lifetime.Token);
            // Receiving is not tied to the lifetime: cancelling a receive would abort the socket instead of closing it.
            var receive = session.ReceiveLoopAsync(ctx.RequestAborted);
            var send = session.SendLoopAsync(lifetime.Token);
            await Task.WhenAny(receive, send);
            if (!client.WasDropped && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await session.CloseAsync(closing.Token);
                await Task.WhenAny(receive, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            }
            await lifetime.CancelAsync();
            if (!receive.IsCompleted) socket.Abort();
            await Task.WhenAll(Quiet(receive), Quiet(send));
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        finally
        {
            broker.Disconnect(client);
        }
        if (client.WasDropped) ctx.Abort();
    }

    private static async Task Quiet(Task t)
    {
        try { await t; }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
    }

    private sealed class WebSocketSession(HttpContext ctx, WebSocket socket, RealtimeClient client, CancellationTokenSource idle, TimeSpan idleTimeout)
    {
        private readonly SemaphoreSlim _sendGate = new(1, 1);

        public async Task CloseAsync(CancellationToken ct)
        {
            await _sendGate.WaitAsync(ct);
            try { await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", ct); }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
            finally { _sendGate.Release(); }
        }

        public async Task SendAsync(JsonObject message, CancellationToken ct) =>
            await SendRawAsync(JsonSerializer.SerializeToUtf8Bytes(message), ct);

        private async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
        {
            await _sendGate.WaitAsync(ct);
            try { await socket.SendAsync(bytes, WebSocketMessageType.Text, true, ct); }
            finally { _sendGate.Release(); }
        }

        public async Task SendLoopAsync(CancellationToken ct)
        {
            var buffer = new ArrayBufferWriter<byte>(1024);
            while (await client.Messages.WaitToReadAsync(ct))
            {
                while (client.Messages.TryRead(out var m))
                {
                    buffer.ResetWrittenCount();
                    using (var w = new Utf8JsonWriter(buffer))
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "event");
                        w.WriteString("event", m.Event);
                        w.WritePropertyName("data");
                        w.WriteRawValue(m.Data.Span, skipInputValidation: true);
                        w.WriteEndObject();
                    }
                    await SendRawAsync(buffer.WrittenMemory, ct);
                    idle.CancelAfter(idleTimeout);
                }
            }
        }

        public async Task ReceiveLoopAsync(CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, r.Count);
                if (message.Length > MaxMessageBytes)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", ct);
                    return;
                }
                if (!r.EndOfMessage) continue;
                idle.CancelAfter(idleTimeout);
                var reply = await HandleAsync(message.ToArray(), ct);
                message.SetLength(0);
                if (socket.State == WebSocketState.Open) await SendAsync(reply, ct);
            }
        }

        private async Task<JsonObject> HandleAsync(byte[] bytes, CancellationToken ct)
        {
            JsonObject? msg = null;
            try
            {
                msg = RequestBody.ParseObject(bytes);
                var type = msg["type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "";
                JsonObject reply = type switch
                {
                    "ping" => new JsonObject { ["type"] = "pong" },
                    "auth" => await AuthAsync(msg, ct),
                    "subscribe" => Subscribe(msg),
                    _ => throw ApiError.BadRequest("Unknown message type: expected \"auth\", \"subscribe\" or \"ping\"."),
                };
                return WithId(reply, msg);
            }
            catch (ApiError e)
            {
                var data = new System.Buffers.ArrayBufferWriter<byte>(128);
                using (var w = new Utf8JsonWriter(data)) e.Details.WriteTo(w);
                var error = new JsonObject
                {
                    ["type"] = "error",
                    ["status"] = e.Status,
                    ["message"] = ErrorWriter.Sentence(e.Message),
                    ["data"] = JsonNode.Parse(data.WrittenSpan),
                };
                return WithId(error, msg);
            }
        }

        private static JsonObject WithId(JsonObject reply, JsonObject? request)
        {
            if (request?["id"] is { } id) reply["id"] = id.DeepClone();
            return reply;
        }

        private async Task<JsonObject> AuthAsync(JsonObject msg, CancellationToken ct)
        {
            var errors = new ErrorData();
            var token = BodyFields.Str(msg, "token", errors, required: true, max: 8192);
            if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
            var record = await AuthTokenLoader.LoadAsync(ctx.Project(), token, ct) ?? throw ApiError.Unauthorized("Invalid or expired auth token.");
            var auth = new RealtimeAuth(record, record.Collection.Name == Core.Projects.ProjectInitializer.SuperusersName) { ExpiresAt = Core.Auth.Jwt.ReadUnverified(token)?.Exp ?? 0 };
            RealtimeBroker.SetSubscriptions(client, auth, [.. client.Subscriptions]);
            return new JsonObject { ["type"] = "ok" };
        }

        private JsonObject Subscribe(JsonObject msg)
        {
            var errors = new ErrorData();
            var raw = SubscriptionsEndpoint.ReadList(msg["subscriptions"], errors);
            if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
            var subscriptions = RealtimeBroker.Parse(raw);
            if (subscriptions.Any(s => s.IsOAuth2)) throw ApiError.BadRequest("The @oauth2 topic is only available over SSE.");
            RealtimeBroker.SetSubscriptions(client, client.Auth, subscriptions);
            return new JsonObject { ["type"] = "ok" };
        }
    }
}
