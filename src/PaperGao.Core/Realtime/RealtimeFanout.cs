using System.Text.Json.Nodes;
using System.Threading.Channels;
using PaperGao.Core.Collections;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>
/// Turns committed record changes into realtime messages. It binds to each project's after-commit hooks
/// (AfterCreate/AfterUpdate/AfterDelete of the one write pipeline), queues the change, and a single background
/// worker (in commit order; a failure never reaches the writer) delivers to this node's subscribers: batched rule
/// checks, then per-subscriber payloads. On a shared bus the other nodes are told after the commit and before the
/// write's answer (so every acknowledged write was announced), or, with notifyInTransaction, inside the write's
/// transaction (<see cref="RecordHooks.InTransaction"/>): PostgreSQL then sends the notice at commit, also when this node
/// dies before answering, at the price of commits that serialise on its notify lock. Changes announced by other nodes
/// come back through the bus and take the same path.
/// </summary>
public sealed class RealtimeFanout : IAsyncDisposable
{
    /// <summary>
    /// First in the After* chains: the event of a committed write goes out even when a later handler (a function's
    /// after-hook) throws or does not call next; it carries the record as committed.
    /// </summary>
    private const int HookPriority = -1000;
    private readonly RealtimeBroker _broker;
    private readonly IRealtimeBus _bus;
    private readonly RealtimeBusCodec _codec;
    private readonly Func<JsonNode?, string, JsonNode?>? _fieldsPicker;
    private readonly Action<Exception> _onError;
    /// <summary>Changes waiting for the worker; when it is this far behind, writers wait after their commit (backpressure).</summary>
    public const int MaxPendingChanges = 65_536;

    private readonly Channel<Func<Task>> _work = Channel.CreateBounded<Func<Task>>(new BoundedChannelOptions(MaxPendingChanges)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Task _worker;
    private readonly bool _notifyInTransaction;
    private long _sequence;
    private volatile bool _closed;

    /// <param name="notifyInTransaction">Tell the other nodes inside the write's transaction, or (the default) after its commit and before its answer.</param>
    /// <param name="time">The clock that tells how long no other node was heard (<see cref="ClusterPresence"/>).</param>
    public RealtimeFanout(RealtimeBroker broker, IRealtimeBus bus, Func<JsonNode?, string, JsonNode?>? fieldsPicker, Action<Exception> onError,
        bool notifyInTransaction = false, TimeProvider? time = null)
    {
        _notifyInTransaction = notifyInTransaction;
        _broker = broker;
        _bus = bus;
        // A node's notices are signed with its broker's tag: a client id tells which node to ask (RealtimeRelay).
        _codec = new(broker.NodeTag);
        Relay = new RealtimeRelay(broker, bus, _codec, onError, time);
        _fieldsPicker = fieldsPicker;
        _onError = onError;
        _worker = Task.Run(RunAsync);
    }

    public RealtimeBroker Broker => _broker;

    /// <summary>Requests for realtime clients held by other nodes (subscriptions, the OAuth2 hand-off).</summary>
    public RealtimeRelay Relay { get; }

    /// <summary>Binds a freshly opened project's record hooks (and its schema and settings changes, for the other nodes).</summary>
    public void Attach(Project p)
    {
        p.Hooks.AfterCreate.Bind((e, next) => AfterAsync(e, "create", next), HookPriority);
        p.Hooks.AfterUpdate.Bind((e, next) => AfterAsync(e, "update", next), HookPriority);
        p.Hooks.AfterDelete.Bind((e, next) => AfterAsync(e, "delete", next), HookPriority);
        if (!_bus.IsShared) return;
        p.Hooks.InTransaction = _notifyInTransaction ? NotifyInTransactionAsync : QueueAtCommitAsync;
        p.CollectionsChanged += changed => Enqueue(() => PublishAsync(RealtimeBusCodec.SchemaNotice(changed.Name)));
        p.SettingsChanged += changed => Enqueue(() => PublishAsync(RealtimeBusCodec.SettingsNotice(changed.Name)));
    }

    /// <summary>
    /// Tells the other nodes that a restore replaced the project's content: they reload its collections and settings and
    /// disconnect its realtime clients (this node does both itself).
    /// </summary>
    public void AnnounceRestored(string project)
    {
        if (_bus.IsShared) Enqueue(() => PublishAsync(RealtimeBusCodec.RestoredNotice(project)));
    }

    /// <summary>
    /// Listens to the other nodes; <paramref name="findProject"/> finds a project open on this node (others need nothing).
    /// When the bus had lost its connection, the projects of <paramref name="openProjects"/> reload their collections and
    /// settings: a schema or settings notice of the gap would otherwise never arrive.
    /// </summary>
    public void StartBus(Func<string, Project?> findProject, Func<IEnumerable<Project>>? openProjects = null)
    {
        _bus.Start(payload =>
        {
            // The relay's requests and answers do not wait behind record deliveries.
            if (_codec.Decode(payload) is { } notice)
            {
                Relay.Presence.Heard(); // another node: this one is not alone (before the relay answers a starting node)
                if (!Relay.TryHandle(notice)) Enqueue(() => OnNoticeAsync(notice, findProject));
            }
            return Task.CompletedTask;
        }, _onError, () =>
        {
            Relay.Presence.Heard(); // the notices of the gap are gone, a starting node's among them
            foreach (var p in openProjects?.Invoke() ?? []) Enqueue(() => ReloadAsync(p));
            return Task.CompletedTask;
        });
        Relay.Start(findProject, (_bus as PostgresRealtimeBus)?.Listening ?? Task.CompletedTask);
    }

    private static async Task ReloadAsync(Project p)
    {
        p.ReplaceCollections(new CollectionSet(await CollectionStore.LoadAllAsync(p.Database), p.Collections.Version + 1));
        p.ReplaceSettings(await ProjectInitializer.LoadSettingsAsync(p.Database));
    }

    private async Task AfterAsync(RecordEvent e, string action, Func<Task> next)
    {
        if (e.Collection.IsView)
        {
            await next();
            return;
        }
        var record = (action == "delete" ? e.Original ?? e.Record : e.Record).Clone();
        try
        {
            await next();
        }
        finally
        {
            await AnnounceAsync(e, action, record);
        }
    }

    /// <summary>
    /// The write's notice for the other nodes, published on its transaction. Each notice carries a sequence number:
    /// PostgreSQL folds identical notices of one transaction into one (two updates of one record in a batch are two).
    /// </summary>
    private async Task NotifyInTransactionAsync(RecordEvent e, string action, CancellationToken ct)
    {
        if (e.Collection.IsView || e.Scope is not { } scope || SkipAlone(e, scope)) return;
        var record = action == "delete" ? e.Original ?? e.Record : e.Record;
        var notice = RealtimeBusCodec.RecordNotice(e.Project.Name, action, e.Collection, record.Id, action == "delete" ? record : null);
        notice["q"] = Interlocked.Increment(ref _sequence);
        foreach (var payload in _codec.Encode(notice))
        {
            if (!await _bus.PublishInTransactionAsync(scope.Transaction, payload, ct)) return; // the first chunk: nothing sent yet
        }
        e.ClusterNotified = true;
    }

    /// <summary>
    /// The default mode: the write's notice is queued to leave with its COMMIT, in the same round trip (pg_notify after
    /// the COMMIT in one batch, so outside the write's transaction). When the bus cannot, or it did not go out, it is
    /// published after the commit as before (<see cref="AnnounceAsync"/>). Numbered for the same reason as above: a
    /// batch's notices share one transaction.
    /// </summary>
    private Task QueueAtCommitAsync(RecordEvent e, string action, CancellationToken ct)
    {
        if (e.Collection.IsView || e.Scope is not { } scope || SkipAlone(e, scope)) return Task.CompletedTask;
        var record = action == "delete" ? e.Original ?? e.Record : e.Record;
        var notice = RealtimeBusCodec.RecordNotice(e.Project.Name, action, e.Collection, record.Id, action == "delete" ? record : null);
        notice["q"] = Interlocked.Increment(ref _sequence);
        Data.Postgres.PostgresCommitBatch? queued = null;
        foreach (var payload in _codec.Encode(notice))
        {
            queued = _bus.PublishAtCommit(scope.Transaction, payload);
            if (queued is null) return Task.CompletedTask; // the first chunk: nothing queued
        }
        e.ClusterNoticeAtCommit = queued;
        return Task.CompletedTask;
    }

    /// <summary>
    /// No other node listens (<see cref="ClusterPresence"/>): the write tells nobody, and counts as unannounced until its
    /// transaction has ended, so that a node starting meanwhile is acknowledged only after it.
    /// </summary>
    private bool SkipAlone(RecordEvent e, Records.WriteScope scope)
    {
        var presence = Relay.Presence;
        if (!presence.TryEnterUnannounced()) return false;
        var left = 0;
        Task Leave()
        {
            if (Interlocked.Exchange(ref left, 1) == 0) presence.LeaveUnannounced();
            return Task.CompletedTask;
        }
        scope.AfterCommit(Leave);
        scope.OnRollback(Leave);
        e.ClusterNotified = true;
        return true;
    }

    private async Task AnnounceAsync(RecordEvent e, string action, Record record)
    {
        var change = new RecordChange(action, e.Collection.Id, record.Id, record);
        var project = e.Project;
        // The subscribers are the ones of the commit moment; the database work happens in the background.
        var targets = Targets(project, e.Collection, record.Id);
        if (_bus.IsShared && !e.ClusterNotified && e.ClusterNoticeAtCommit is not { Published: true })
        {
            // After the commit and before the answer: an acknowledged write has been announced to the other nodes,
            // without holding PostgreSQL's notify lock through the write's commit (docs/scaling.md).
            try
            {
                await PublishAsync(RealtimeBusCodec.RecordNotice(project.Name, action, e.Collection, record.Id, change.IsDelete ? record : null));
            }
            catch (Exception ex)
            {
                _onError(ex);
            }
        }
        if (targets.List.Count == 0 && !targets.AuthBound) return; // nobody to tell here
        var queued = Telemetry.PaperGaoMetrics.FanoutStart();
        try
        {
            await _work.Writer.WriteAsync(async () =>
            {
                Telemetry.PaperGaoMetrics.FanoutBegins(queued);
                await DeliverAsync(project, e.Collection, change, targets, CancellationToken.None);
            });
        }
        catch (ChannelClosedException)
        {
            // Shutting down.
        }
    }

    /// <summary>
    /// Queues work that cannot wait (bus notices, schema changes); dropped with an error when the queue is full. Once the
    /// fan-out is shut down (the bus, disposed after it, still hears the other nodes for a moment) work is dropped
    /// quietly: the queue is closed, not full, and this node's subscribers are gone.
    /// </summary>
    private void Enqueue(Func<Task> work)
    {
        if (!_work.Writer.TryWrite(work) && !_closed) _onError(new InvalidOperationException("Realtime fan-out queue full: a notice was dropped."));
    }

    private async Task RunAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            try { await work(); }
            catch (Exception ex) { _onError(ex); }
        }
    }

    private async Task PublishAsync(JsonObject notice)
    {
        foreach (var payload in _codec.Encode(notice)) await _bus.PublishAsync(payload);
    }

    private async Task OnNoticeAsync(JsonObject notice, Func<string, Project?> findProject)
    {
        var name = (string?)notice["p"];
        if (name is null || findProject(name) is not { } p) return;
        if ((string?)notice["t"] == "s")
        {
            p.ReplaceCollections(new CollectionSet(await CollectionStore.LoadAllAsync(p.Database), p.Collections.Version + 1));
            return;
        }
        if ((string?)notice["t"] == "g")
        {
            p.ReplaceSettings(await ProjectInitializer.LoadSettingsAsync(p.Database));
            return;
        }
        if ((string?)notice["t"] == "x")
        {
            await ReloadAsync(p);
            _broker.DisconnectProject(p.Name);
            return;
        }
        var action = (string?)notice["a"];
        var collectionId = (string?)notice["c"] ?? "";
        var c = p.Collections.FindById(collectionId);
        if (c is null && collectionId.Length > 0 && action is ("create" or "update" or "delete"))
        {
            // A record notice leaves at its commit, a schema notice through the other node's queue afterwards: a write
            // into a collection made a moment ago can arrive first. Load the collections instead of dropping it.
            p.ReplaceCollections(new CollectionSet(await CollectionStore.LoadAllAsync(p.Database), p.Collections.Version + 1));
            c = p.Collections.FindById(collectionId);
        }
        var id = (string?)notice["i"];
        if (action is not ("create" or "update" or "delete") || c is null || id is null) return;
        var row = action == "delete" ? RealtimeBusCodec.ReadRow(notice, c, p.Dialect) : null;
        if (action == "delete" && row is null) return;
        await DispatchAsync(p, new RecordChange(action, c.Id, id, null) { DeletedRow = row }, CancellationToken.None);
    }

    /// <summary>Delivers one change to this node's subscribers of the project.</summary>
    public Task DispatchAsync(Project p, RecordChange change, CancellationToken ct)
    {
        var c = p.Collections.FindById(change.CollectionId);
        return c is null || c.IsView ? Task.CompletedTask : DeliverAsync(p, c, change, Targets(p, c, change.RecordId), ct);
    }

    /// <summary>The matching (client, subscription) pairs, and whether a client is bound to this very auth record.</summary>
    private (List<(RealtimeClient Client, Subscription Sub)> List, bool AuthBound) Targets(Project p, Collection c, string recordId)
    {
        var targets = new List<(RealtimeClient Client, Subscription Sub)>();
        var authBound = false;
        var authKey = c.Id + "/" + recordId;
        foreach (var client in _broker.ClientsOf(p.Name))
        {
            if (c.IsAuth && client.Auth.Key == authKey) authBound = true;
            foreach (var s in client.Subscriptions)
            {
                if (s.IsOAuth2 || (s.RecordId != "*" && s.RecordId != recordId)) continue;
                if (s.Collection == c.Id || string.Equals(s.Collection, c.Name, StringComparison.OrdinalIgnoreCase)) targets.Add((client, s));
            }
        }
        return (targets, authBound);
    }

    private async Task DeliverAsync(Project p, Collection snapshot, RecordChange change,
        (List<(RealtimeClient Client, Subscription Sub)> List, bool AuthBound) found, CancellationToken ct)
    {
        var (targets, authBound) = found;
        if (targets.Count == 0 && !authBound) return;
        // The rules in force when the write happened apply (PocketBase checks them in the write's own hook).
        var c = snapshot;
        await p.Database.ReadAsync(async conn =>
        {
            var record = change.Record
                ?? (change.DeletedRow is { } row
                    ? await RealtimeRuleCheck.ReadDerivedAsync(p, conn, c, row, ct)
                    : await RecordSql.FindByIdAsync(p.Database, conn, null, c, change.RecordId, ct));
            if (record is null) return false;
            if (authBound) await _broker.RefreshAuthAsync(p, conn, record, change.IsDelete, ct);
            if (targets.Count == 0) return true;

            var requests = new Dictionary<(string, string), RequestInfo>();
            var list = new List<RealtimeRuleCheck.Target>(targets.Count);
            var nowUnix = p.Time.GetUtcNow().ToUnixTimeSeconds();
            foreach (var (client, s) in targets)
            {
                var auth = RealtimeBroker.Revalidate(p, client, nowUnix);
                if (!requests.TryGetValue((auth.Key, s.OptionsKey), out var req))
                {
                    req = new RequestInfo { Auth = auth.Record, IsSuperuser = auth.IsSuperuser, Method = "GET", Context = "realtime", Query = s.Query, Headers = s.Headers };
                    requests[(auth.Key, s.OptionsKey)] = req;
                }
                list.Add(new RealtimeRuleCheck.Target(client, s, req));
            }
            var allowed = await RealtimeRuleCheck.AllowedAsync(p, conn, c, record, change.IsDelete, list, ct);
            var payloads = new RealtimePayloads(p, conn, record, change.Action, _fieldsPicker);
            foreach (var t in allowed)
            {
                var data = await payloads.ForAsync(t.Client, t.Subscription, t.Request, ct);
                if (data.IsEmpty) continue;
                t.Client.TrySend(new RealtimeMessage(t.Subscription.Raw, data));
            }
            return true;
        }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        _closed = true;
        _work.Writer.TryComplete();
        await _worker;
    }
}
