using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>
/// Requests for a realtime client held by another node of a cluster (no sticky sessions needed): a subscription request
/// (POST /api/realtime) or the OAuth2 popup's redirect reaches any node; when the client id's node tag is another live
/// node's, the request goes over the bus to that node, which applies it with the same checks as a local request (the
/// caller's IP computed by the receiving node, the auth binding rule, one-shot @oauth2) and answers with a status.
/// <para>
/// Notices: a request {"t":"q","i":correlation id,"k":"s"|"o","c":client id,"ip",...} (a subscription request carries the
/// validated topics and the caller's auth as ids: "ar" collectionId/recordId, "su" superuser, "ex" token expiry, never a
/// token; an OAuth2 hand-off carries code and error, as the client's stream will); the answer {"t":"y","to":node,"i","st",
/// "m"}; and a heartbeat {"t":"h"} that tells which node tags are alive ("r":1 asks the others to announce themselves, sent
/// at start; "bye":1 when a node stops). An id naming no live node is unknown at once, without a wait.
/// </para>
/// </summary>
public sealed class RealtimeRelay : IAsyncDisposable
{
    private readonly RealtimeBroker _broker;
    private readonly IRealtimeBus _bus;
    private readonly RealtimeBusCodec _codec;
    private readonly Action<Exception> _onError;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Answer>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _peers = new(StringComparer.Ordinal);
    /// <summary>The nodes that acknowledged this node's first announcement (after ending their alone state).</summary>
    private readonly ConcurrentDictionary<string, bool> _acks = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Func<string, Project?> _findProject = _ => null;
    private Task _heartbeat = Task.CompletedTask;

    /// <summary>The holding node's answer: an HTTP status and, for an error, its message.</summary>
    public sealed record Answer(int Status, string Message);

    internal RealtimeRelay(RealtimeBroker broker, IRealtimeBus bus, RealtimeBusCodec codec, Action<Exception> onError, TimeProvider? time = null)
    {
        _broker = broker;
        _bus = bus;
        _codec = codec;
        _onError = onError;
        Presence = new ClusterPresence(() => bus.IsShared && bus.IsListening, time);
        if (!bus.IsShared) _joined.TrySetResult();
        // Realtime connections never wait long for the others: also when the bus cannot listen (PostgreSQL down) or was
        // never started.
        else _ = Task.Delay(RealtimeLimits.JoinLimit, _stop.Token).ContinueWith(_ => _joined.TrySetResult(), TaskScheduler.Default);
    }

    /// <summary>Whether this node is alone on the bus (record writes then skip their notices).</summary>
    public ClusterPresence Presence { get; }

    /// <summary>
    /// Completes once every other node listening at this node's start has acknowledged it (or after
    /// <see cref="RealtimeLimits.ForwardTimeout"/>): from then on they tell this node about every write, so realtime
    /// connections wait for it (a node alone until now skips its notices).
    /// </summary>
    public Task Joined => _joined.Task;

    /// <summary>How many nodes acknowledged this node's start.</summary>
    public int Acknowledgements => _acks.Count;

    /// <summary>Starts announcing this node (once the bus listens, so that the others' answers are heard).</summary>
    internal void Start(Func<string, Project?> findProject, Task listening)
    {
        _findProject = findProject;
        if (_bus.IsShared) _heartbeat = Task.Run(() => HeartbeatAsync(listening));
    }

    /// <summary>True when the client id names another live node of the cluster: ask it with <see cref="ForwardAsync"/>.</summary>
    public bool HeldElsewhere(string clientId)
    {
        if (!_bus.IsShared) return false;
        var tag = RealtimeBroker.TagOf(clientId);
        return tag.Length > 0 && tag != _broker.NodeTag && _peers.TryGetValue(tag, out var seen)
            && Environment.TickCount64 - seen < (long)RealtimeLimits.PeerLifetime.TotalMilliseconds;
    }

    /// <summary>A subscription request for a client of another node; null when that node did not answer in time.</summary>
    public Task<Answer?> ForwardSubscriptionsAsync(string project, string clientId, string callerIp, RealtimeAuth auth, Subscription[] subscriptions, CancellationToken ct)
    {
        var request = new JsonObject
        {
            ["k"] = "s",
            ["s"] = new JsonArray([.. subscriptions.Select(s => (JsonNode)JsonValue.Create(s.Raw))]),
            ["su"] = auth.IsSuperuser,
            ["ex"] = auth.ExpiresAt,
        };
        if (auth.Record is { } r) request["ar"] = r.Collection.Id + "/" + r.Id;
        return ForwardAsync(project, clientId, callerIp, request, ct);
    }

    /// <summary>The OAuth2 redirect for a client of another node; null when that node did not answer in time.</summary>
    public Task<Answer?> ForwardOAuth2Async(string project, string clientId, string callerIp, string code, string error, CancellationToken ct) =>
        ForwardAsync(project, clientId, callerIp, new JsonObject { ["k"] = "o", ["code"] = code, ["err"] = error }, ct);

    private async Task<Answer?> ForwardAsync(string project, string clientId, string callerIp, JsonObject request, CancellationToken ct)
    {
        var id = RandomString.Alphanumeric(16);
        request["t"] = "q";
        request["p"] = project;
        request["i"] = id;
        request["c"] = clientId;
        request["ip"] = callerIp;
        var payloads = _codec.Encode(request).ToList();
        if (payloads.Count > RealtimeBusCodec.MaxChunks)
        {
            // A notice the receivers would not put back together: refuse clearly instead of waiting for no answer.
            throw new ApiError(413, "The subscriptions are too large to forward to the node holding the client; subscribe with fewer or shorter topics.");
        }
        var answer = new TaskCompletionSource<Answer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            foreach (var p in payloads) await _bus.PublishAsync(p, ct);
            return await answer.Task.WaitAsync(RealtimeLimits.ForwardTimeout, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Takes the relay's notices ("q", "y", "h"); false for any other notice.</summary>
    internal bool TryHandle(JsonObject notice)
    {
        var node = JsonValues.StringOf(notice["n"]) ?? "";
        switch (JsonValues.StringOf(notice["t"]))
        {
            case "h":
                if (notice["bye"] is not null) _peers.TryRemove(node, out _); // stopping: its clients are gone
                else if (node.Length > 0) _peers[node] = Environment.TickCount64;
                if (node.Length > 0 && JsonValues.StringOf(notice["re"]) == _codec.NodeId) _acks[node] = true;
                // A node starting: once the writes that skipped their notice (this node was alone) have ended, tell it.
                if (notice["r"] is not null) _ = Task.Run(async () =>
                {
                    await Presence.DrainAsync(RealtimeLimits.ForwardTimeout);
                    await AnnounceAsync(false, node);
                });
                return true;
            case "y":
                if (JsonValues.StringOf(notice["to"]) == _codec.NodeId && JsonValues.StringOf(notice["i"]) is { } id && _pending.TryGetValue(id, out var waiting))
                    waiting.TrySetResult(new Answer(notice["st"] is JsonValue st && st.TryGetValue<int>(out var status) ? status : 404, JsonValues.StringOf(notice["m"]) ?? ""));
                return true;
            case "q":
                if (node.Length > 0) _peers[node] = Environment.TickCount64;
                if (RealtimeBroker.TagOf(JsonValues.StringOf(notice["c"]) ?? "") == _broker.NodeTag) _ = Task.Run(() => AnswerAsync(notice, node));
                return true;
            default:
                return false;
        }
    }

    private async Task AnswerAsync(JsonObject request, string from)
    {
        Answer answer;
        try
        {
            answer = await ApplyAsync(request);
        }
        catch (ApiError e)
        {
            answer = new Answer(e.Status, e.Message);
        }
        catch (Exception ex)
        {
            _onError(ex);
            answer = new Answer(500, "Something went wrong while processing your request.");
        }
        try
        {
            var reply = new JsonObject { ["t"] = "y", ["to"] = from, ["i"] = JsonValues.StringOf(request["i"]), ["st"] = answer.Status, ["m"] = answer.Message };
            foreach (var p in _codec.Encode(reply)) await _bus.PublishAsync(p, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _onError(ex);
        }
    }

    private static readonly Answer NotFound = new(404, "");

    private async Task<Answer> ApplyAsync(JsonObject request)
    {
        var projectName = JsonValues.StringOf(request["p"]) ?? "";
        var client = _broker.Find(projectName, JsonValues.StringOf(request["c"]) ?? "");
        if (client is null || _findProject(projectName) is not { } project) return NotFound;
        var ip = JsonValues.StringOf(request["ip"]) ?? throw Malformed();
        switch (JsonValues.StringOf(request["k"]))
        {
            case "o":
                var code = JsonValues.StringOf(request["code"]) ?? throw Malformed();
                return RealtimeBroker.TryHandOffOAuth2(client, ip, code, JsonValues.StringOf(request["err"]) ?? "") ? new Answer(200, "") : NotFound;
            case "s":
                if (request["s"] is not JsonArray topics || topics.Any(t => JsonValues.StringOf(t) is null)) throw Malformed();
                // The forwarding node validated them; they are checked again with the same limits.
                var subscriptions = RealtimeBroker.Parse([.. topics.Select(t => JsonValues.StringOf(t)!)]);
                RealtimeBroker.Apply(client, ip, await AuthOfAsync(project, request), subscriptions);
                return new Answer(204, "");
            default:
                throw Malformed();
        }
    }

    private static ApiError Malformed() => ApiError.BadRequest("Malformed realtime request from another node.");


    /// <summary>The forwarding node verified the token; this node loads the same auth record (one database).</summary>
    private async Task<RealtimeAuth> AuthOfAsync(Project project, JsonObject request)
    {
        var superuser = request["su"] is JsonValue su && su.TryGetValue<bool>(out var b) && b;
        var expires = request["ex"] is JsonValue ex && ex.TryGetValue<long>(out var e) ? e : 0;
        if (request["ar"] is null) return superuser ? new RealtimeAuth(null, true) { ExpiresAt = expires } : RealtimeAuth.Guest;
        var key = JsonValues.StringOf(request["ar"]) ?? throw Malformed();
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var collection = slash > 0 ? project.Collections.FindById(key[..slash]) : null;
        Record? record = null;
        if (collection?.Auth is not null)
            record = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, collection, key[(slash + 1)..], CancellationToken.None), CancellationToken.None);
        if (record is null) throw ApiError.Unauthorized("Missing or invalid authentication.");
        return new RealtimeAuth(record, superuser) { ExpiresAt = expires };
    }

    private async Task HeartbeatAsync(Task listening)
    {
        try
        {
            await listening.WaitAsync(_stop.Token);
            await JoinAsync();
            using var timer = new PeriodicTimer(RealtimeLimits.PeerHeartbeat);
            while (await timer.WaitForNextTickAsync(_stop.Token)) await AnnounceAsync(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
    }

    /// <summary>Announces this node and waits for the acknowledgements of the nodes already listening (<see cref="Joined"/>).</summary>
    private async Task JoinAsync()
    {
        Presence.Heard(); // not alone until the others have had a chance to speak
        try
        {
            int? others = null;
            try { others = await _bus.CountOtherListenersAsync(_stop.Token); }
            catch (Exception ex) when (ex is not OperationCanceledException) { _onError(ex); }
            await AnnounceAsync(true);
            // Not knowing how many listen, wait the whole time for whoever answers.
            var start = Environment.TickCount64;
            while ((others is null || _acks.Count < others) && Environment.TickCount64 - start < (long)RealtimeLimits.ForwardTimeout.TotalMilliseconds)
                await Task.Delay(10, _stop.Token);
        }
        finally
        {
            _joined.TrySetResult();
        }
    }

    private async Task AnnounceAsync(bool askOthers, string? acknowledge = null)
    {
        if (_stop.IsCancellationRequested) return; // shutting down: the bus may still hear the others for a moment
        var hello = new JsonObject { ["t"] = "h" };
        if (askOthers) hello["r"] = 1;
        if (acknowledge is not null) hello["re"] = acknowledge;
        try
        {
            foreach (var p in _codec.Encode(hello)) await _bus.PublishAsync(p, _stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && _stop.IsCancellationRequested) { }
        catch (Exception ex)
        {
            _onError(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
        if (_bus.IsShared)
        {
            // The others answer 404 for this node's clients at once instead of waiting for an answer (the host disposes
            // the bus after the fan-out, so it still publishes).
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                foreach (var p in _codec.Encode(new JsonObject { ["t"] = "h", ["bye"] = 1 })) await _bus.PublishAsync(p, deadline.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or Npgsql.NpgsqlException) { }
            catch (Exception ex)
            {
                _onError(ex);
            }
        }
        _stop.Dispose();
    }
}
