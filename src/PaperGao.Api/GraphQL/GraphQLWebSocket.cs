using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Api.Realtime;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Realtime;
using PaperGao.Core.Records;
using PaperGao.GraphQL.Execution;
using PaperGao.GraphQL.Subscriptions;

namespace PaperGao.Api.GraphQL;

/// <summary>
/// GraphQL over WebSocket with the graphql-transport-ws protocol (the graphql-ws client) at /api/graphql:
/// connection_init (optional payload {"Authorization": token}) → connection_ack, subscribe / next / error / complete,
/// ping / pong. Subscriptions are backed by one realtime client per connection on the realtime broker, so the events
/// are the realtime API's: after the commit, rule-checked per subscriber, with the same per-client bounds.
/// </summary>
public static class GraphQLWebSocket
{
    public const string Protocol = "graphql-transport-ws";
    private const int MaxMessageBytes = 1 << 20;
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(10);

    public static async Task HandleAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.WebSocketRequestedProtocols.Contains(Protocol))
            throw ApiError.BadRequest("Use the graphql-transport-ws WebSocket subprotocol.");
        var project = ctx.Project();
        var broker = RealtimeConnection.Broker(ctx);
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(Protocol);
        var client = broker.Connect(project.Name, RealtimeConnection.CallerIp(ctx));
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, client.Closed, RealtimeConnection.Stopping(ctx));
        lifetime.CancelAfter(broker.Options.MaxLifetime);
        var session = new Session(ctx, socket, client);
        try
        {
            var send = session.SendLoopAsync(lifetime.Token);
            var pump = session.PumpAsync(lifetime.Token);
            var receive = session.ReceiveLoopAsync(lifetime.Token);
            await Task.WhenAny(receive, send, pump);
            await lifetime.CancelAsync();
            try { await Task.WhenAll(receive, send, pump); }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ChannelClosedException) { }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        finally
        {
            session.CompleteAll();
            broker.Disconnect(client);
        }
    }

    private sealed class Session(HttpContext ctx, WebSocket socket, RealtimeClient client) : ISubscriptionSource
    {
        private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropWrite });
        private readonly ConcurrentDictionary<string, IDisposable> _operations = new(StringComparer.Ordinal);
        private readonly List<(string Raw, Collection Collection, EventStream Stream, GraphQLRequestContext Context)> _streams = [];
        private RequestInfo _request = ctx.RequestInfo("realtime");
        private GraphQLAccess _access = GraphQLApi.AccessFor(ctx);

        /// <summary>A scoped API key (and no user token): its schema holds only its collections, see <see cref="BindAsKey"/>.</summary>
        private bool _scopedKey = ctx.ApiKey() is { Superuser: false };
        private bool _acked;
        private bool _initReceived;
        private (WebSocketCloseStatus Status, string Reason)? _close;

        public async Task ReceiveLoopAsync(CancellationToken ct)
        {
            using var initTimer = new CancellationTokenSource(InitTimeout);
            using var receiveCt = CancellationTokenSource.CreateLinkedTokenSource(ct, initTimer.Token);
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open && _close is null)
            {
                WebSocketReceiveResult r;
                try
                {
                    r = await socket.ReceiveAsync(buffer, _acked ? ct : receiveCt.Token);
                }
                catch (OperationCanceledException) when (initTimer.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    await CloseAsync((WebSocketCloseStatus)4408, "Connection initialisation timeout");
                    return;
                }
                if (r.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, r.Count);
                if (message.Length > MaxMessageBytes) { await CloseAsync(WebSocketCloseStatus.MessageTooBig, "Message too big"); return; }
                if (!r.EndOfMessage) continue;
                var bytes = message.ToArray();
                message.SetLength(0);
                await HandleAsync(bytes, ct);
                if (_close is { } close) { await CloseAsync(close.Status, close.Reason); return; }
            }
        }

        private async Task CloseAsync(WebSocketCloseStatus status, string reason)
        {
            _outgoing.Writer.TryComplete();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(status, reason, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
        }

        private async Task HandleAsync(byte[] bytes, CancellationToken ct)
        {
            string type, id = "";
            JsonElement payload = default;
            try
            {
                using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
                var root = doc.RootElement;
                type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String) id = i.GetString()!;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("payload", out var p)) payload = p.Clone();
            }
            catch (JsonException)
            {
                _close = ((WebSocketCloseStatus)4400, "Invalid message received");
                return;
            }
            switch (type)
            {
                case "connection_init":
                    if (_initReceived) { _close = ((WebSocketCloseStatus)4429, "Too many initialisation requests"); return; }
                    _initReceived = true;
                    if (!await AuthenticateAsync(payload, ct)) { _close = ((WebSocketCloseStatus)4403, "Forbidden"); return; }
                    _acked = true;
                    Send("{\"type\":\"connection_ack\"}");
                    return;
                case "ping":
                    Send("{\"type\":\"pong\"}");
                    return;
                case "pong":
                    return;
                case "subscribe":
                    if (!_acked) { _close = ((WebSocketCloseStatus)4401, "Unauthorized"); return; }
                    if (id.Length == 0 || payload.ValueKind != JsonValueKind.Object) { _close = ((WebSocketCloseStatus)4400, "Invalid message received"); return; }
                    if (_operations.ContainsKey(id)) { _close = ((WebSocketCloseStatus)4409, $"Subscriber for {Truncate(id)} already exists"); return; }
                    await SubscribeAsync(id, payload, ct);
                    return;
                case "complete":
                    if (_operations.TryRemove(id, out var op)) op.Dispose();
                    return;
                default:
                    _close = ((WebSocketCloseStatus)4400, "Invalid message received");
                    return;
            }
        }

        private static string Truncate(string s) => s.Length > 64 ? s[..64] : s;

        /// <summary>The upgrade request's auth header counts; a token in the init payload (browsers cannot set headers) replaces it.</summary>
        private async Task<bool> AuthenticateAsync(JsonElement payload, CancellationToken ct)
        {
            string? token = null;
            if (payload.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in payload.EnumerateObject())
                {
                    if (p.Name.Equals("authorization", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String) token = p.Value.GetString();
                }
            }
            if (!string.IsNullOrWhiteSpace(token))
            {
                if (token.Length > 8192) return false;
                var record = await AuthTokenLoader.LoadAsync(ctx.Project(), token, ct);
                if (record is null) return false;
                var su = record.Collection.Name == Core.Projects.ProjectInitializer.SuperusersName;
                _request = new RequestInfo { Auth = record, IsSuperuser = su, Method = "GET", Context = "realtime" };
                _access = GraphQLAccess.For(su);
                _scopedKey = false;
            }
            if (_request.Auth is not null || _request.IsSuperuser)
                RealtimeBroker.SetSubscriptions(client, new RealtimeAuth(_request.Auth, _request.IsSuperuser), []);
            else if (_scopedKey) BindAsKey();
            return true;
        }

        /// <summary>
        /// A scoped key may list every record of the collections its list scope names (REST opens those rules for it), and
        /// its schema has subscription fields for exactly those collections. So its realtime client is bound like a
        /// superuser's: events are not cut by the collections' rules (the key's scope already decided), while what the
        /// key reads stays bounded by its schema (no hidden fields, emails and relations resolved as the key). A filter
        /// must evaluate the same for the key as for a superuser (checked in <see cref="Subscribe"/>).
        /// </summary>
        private void BindAsKey() => RealtimeBroker.SetSubscriptions(client, new RealtimeAuth(null, true), []);

        /// <summary>
        /// The broker evaluates a key's filter as a superuser. That is only right when the key's own evaluation is the
        /// same SQL: a filter that goes through a relation into a collection whose list rule guards it would not be, so
        /// it is refused (deny when in doubt).
        /// </summary>
        private void CheckKeyFilter(Collection collection, string filter, GraphQLRequestContext context)
        {
            var asKey = FilterCompiler.CompileFilter(filter, RuleQuery.NewContext(context.Project, collection, context.Request, clientFilter: true));
            var asSuperuser = FilterCompiler.CompileFilter(filter, RuleQuery.NewContext(context.Project, collection,
                new RequestInfo { IsSuperuser = true, Method = "GET", Context = "realtime" }, clientFilter: true));
            if (!string.Equals(asKey, asSuperuser, StringComparison.Ordinal))
                throw ApiError.Forbidden("With a scoped API key, a subscription filter may not go through a relation into a collection whose list rule protects it.");
        }

        private async Task SubscribeAsync(string id, JsonElement payload, CancellationToken ct)
        {
            var query = payload.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : null;
            if (query is null) { _close = ((WebSocketCloseStatus)4400, "Invalid message received"); return; }
            var operationName = payload.TryGetProperty("operationName", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            JsonElement? variables = payload.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object ? v : null;
            var rc = new GraphQLRequestContext(ctx.Project(), _request, ctx.Request.PathBase.Value ?? "") { Subscriptions = this };
            _currentId = id;
            var outcome = await GraphQLExecutor.ExecuteAsync(new GraphQLRequest(query, operationName, variables, IsGet: false), rc, _access,
                GraphQLApi.IntrospectionAllowed(ctx, ctx.Project()) || _request.IsSuperuser, GraphQLLimits.Default, GraphQLApi.UnexpectedErrorLog(ctx), ct);
            _currentId = null;
            var result = outcome.Result;
            if (result.Streams is not { Count: > 0 } streams)
            {
                if (outcome.IsRequestError || result.Data is null) SendErrors(id, result);
                else
                {
                    Send(Frame(id, "next", GraphQLExecutor.Serializer.Serialize(result)));
                    Send(Frame(id, "complete", null));
                }
                DropStreams(id);
                return;
            }
            var observer = new ResultObserver(this, id);
            var subscriptions = streams.Values.Select(s => s.Subscribe(observer)).ToList();
            _operations[id] = new Disposer(() =>
            {
                foreach (var s in subscriptions) s.Dispose();
                DropStreams(id);
            });
        }

        private void SendErrors(string id, global::GraphQL.ExecutionResult result)
        {
            using var doc = JsonDocument.Parse(GraphQLExecutor.Serializer.Serialize(result));
            var errors = doc.RootElement.TryGetProperty("errors", out var e) ? e.GetRawText() : "[]";
            Send(Frame(id, "error", errors));
        }

        private string? _currentId;
        private readonly Dictionary<string, List<EventStream>> _byOperation = new(StringComparer.Ordinal);

        /// <summary>Called by a subscription field while the subscribe message executes: registers the realtime topic.</summary>
        public IObservable<object?> Subscribe(Collection collection, string filter, GraphQLRequestContext context)
        {
            if (filter.Length > 0)
            {
                try
                {
                    FilterCompiler.CompileFilter(filter, RuleQuery.NewContext(context.Project, collection, context.Request, clientFilter: true));
                    if (_scopedKey) CheckKeyFilter(collection, filter, context);
                }
                catch (FilterException e) { throw e.Forbidden ? ApiError.Forbidden(e.Message) : ApiError.BadRequest(e.Message); }
            }
            var raw = collection.Name + "/*";
            if (filter.Length > 0) raw += "?options=" + Uri.EscapeDataString(JsonSerializer.Serialize(new { query = new { filter } }));
            var stream = new EventStream();
            lock (_streams)
            {
                _streams.Add((raw, collection, stream, context));
                if (_currentId is { } id)
                {
                    if (!_byOperation.TryGetValue(id, out var list)) _byOperation[id] = list = [];
                    list.Add(stream);
                }
                ApplyTopics();
            }
            return stream;
        }

        private void DropStreams(string id)
        {
            lock (_streams)
            {
                if (!_byOperation.Remove(id, out var list)) return;
                _streams.RemoveAll(s => list.Contains(s.Stream));
                ApplyTopics();
            }
        }

        /// <summary>The realtime client's subscriptions are the distinct topics of the open GraphQL subscriptions (same limits as SSE).</summary>
        private void ApplyTopics() =>
            RealtimeBroker.SetSubscriptions(client, client.Auth, RealtimeBroker.Parse([.. _streams.Select(s => s.Raw).Distinct(StringComparer.Ordinal)]));

        public void CompleteAll()
        {
            foreach (var op in _operations.Values) op.Dispose();
            _operations.Clear();
        }

        /// <summary>Realtime messages of this connection's client, routed to the streams of their topic.</summary>
        public async Task PumpAsync(CancellationToken ct)
        {
            while (await client.Messages.WaitToReadAsync(ct))
            {
                while (client.Messages.TryRead(out var m))
                {
                    List<(string Raw, Collection Collection, EventStream Stream, GraphQLRequestContext Context)> targets;
                    lock (_streams) targets = _streams.Where(s => s.Raw == m.Event).ToList();
                    if (targets.Count == 0) continue;
                    using var doc = JsonDocument.Parse(m.Data);
                    var action = doc.RootElement.GetProperty("action").GetString() ?? "";
                    var json = doc.RootElement.GetProperty("record");
                    foreach (var t in targets)
                    {
                        var record = RecordFromJson.Read(t.Collection, json);
                        if (action != "delete") await ManagedEmail.ApplyAsync(t.Context, record, ct);
                        t.Stream.Publish(new SubscriptionEvent(action, record));
                    }
                }
            }
        }

        public async Task SendLoopAsync(CancellationToken ct)
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync(ct))
            {
                if (socket.State != WebSocketState.Open) return;
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, ct);
            }
        }

        private void Send(string json) => _outgoing.Writer.TryWrite(Encoding.UTF8.GetBytes(json));

        private static string Frame(string id, string type, string? payloadJson) =>
            "{\"id\":" + JsonSerializer.Serialize(id) + ",\"type\":\"" + type + "\"" + (payloadJson is null ? "" : ",\"payload\":" + payloadJson) + "}";

        private sealed class ResultObserver(Session session, string id) : IObserver<global::GraphQL.ExecutionResult>
        {
            public void OnNext(global::GraphQL.ExecutionResult value) => session.Send(Frame(id, "next", GraphQLExecutor.Serializer.Serialize(value)));

            public void OnError(Exception error) => session.Send(Frame(id, "error", "[{\"message\":\"The subscription failed.\"}]"));

            public void OnCompleted()
            {
                if (session._operations.TryRemove(id, out _)) session.Send(Frame(id, "complete", null));
            }
        }

        private sealed class Disposer(Action action) : IDisposable
        {
            private int _done;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _done, 1) == 0) action();
            }
        }
    }
}
