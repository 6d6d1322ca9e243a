using System.Collections.Concurrent;
using PaperGao.Core.Common;

namespace PaperGao.Core.Realtime;

/// <summary>
/// The registry of connected realtime clients of this node (transport-free: SSE and WebSocket both use it):
/// connect, find, set subscriptions with the auth rules of protocol.md §6.2, disconnect, count per project.
/// </summary>
public sealed class RealtimeBroker(RealtimeOptions options)
{
    private readonly ConcurrentDictionary<string, RealtimeClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, RealtimeClient>> _byProject = new(StringComparer.Ordinal);

    public RealtimeOptions Options { get; } = options;

    /// <summary>
    /// This node's tag, the first <see cref="RealtimeLimits.NodeTagLength"/> characters of each of its client ids (random
    /// per process): a node that gets a request for a client it does not hold sees which node to ask.
    /// </summary>
    public string NodeTag { get; } = RandomString.Alphanumeric(RealtimeLimits.NodeTagLength);

    /// <summary>The node tag a client id starts with ("" when it is too short to carry one).</summary>
    public static string TagOf(string clientId) => clientId.Length >= RealtimeLimits.NodeTagLength ? clientId[..RealtimeLimits.NodeTagLength] : "";

    /// <summary>Active realtime connections (SSE and WebSocket) of one project on this node.</summary>
    public int ConnectionCount(string project) => _byProject.TryGetValue(project, out var m) ? m.Count : 0;

    /// <summary>Active realtime connections of every project on this node.</summary>
    public int TotalConnections => _clients.Count;

    public RealtimeClient Connect(string project, string ip)
    {
        var client = new RealtimeClient(NodeTag, project, ip, Options.QueueCapacity);
        _clients[client.Id] = client;
        _byProject.GetOrAdd(project, _ => new ConcurrentDictionary<string, RealtimeClient>(StringComparer.Ordinal))[client.Id] = client;
        return client;
    }

    public void Disconnect(RealtimeClient client)
    {
        _clients.TryRemove(client.Id, out _);
        if (_byProject.TryGetValue(client.Project, out var m)) m.TryRemove(client.Id, out _);
        client.Close();
    }

    /// <summary>Disconnects every client of a project (the project was deleted).</summary>
    public void DisconnectProject(string project)
    {
        if (!_byProject.TryRemove(project, out var m)) return;
        foreach (var c in m.Values) Disconnect(c);
    }

    /// <summary>The client with this id in this project, or null.</summary>
    public RealtimeClient? Find(string project, string id) =>
        _clients.TryGetValue(id, out var c) && c.Project == project ? c : null;

    public IEnumerable<RealtimeClient> ClientsOf(string project) =>
        _byProject.TryGetValue(project, out var m) ? m.Values : [];

    /// <summary>Parses and validates a subscription list (400 with per-item errors when malformed or over the limits).</summary>
    public static Subscription[] Parse(IReadOnlyList<string> raw)
    {
        var errors = new ErrorData();
        if (raw.Count > RealtimeLimits.MaxSubscriptions)
        {
            errors.Add("subscriptions", new FieldError("validation_length_too_long", $"At most {RealtimeLimits.MaxSubscriptions} subscriptions are allowed."));
            throw ApiError.BadRequest("Failed to set the subscriptions.", errors);
        }
        var list = new List<Subscription>(raw.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var itemErrors = new ErrorData();
        for (var i = 0; i < raw.Count; i++)
        {
            var s = raw[i];
            if (string.IsNullOrEmpty(s)) continue;
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (s.Length > RealtimeLimits.MaxSubscriptionLength)
            {
                itemErrors.Add(key, new FieldError("validation_length_too_long", $"Must be no more than {RealtimeLimits.MaxSubscriptionLength} characters."));
                continue;
            }
            var parsed = Subscription.Parse(s, out var error);
            if (parsed is null) { itemErrors.Add(key, new FieldError("validation_invalid_subscription", error ?? "Invalid subscription.")); continue; }
            if (seen.Add(s)) list.Add(parsed);
        }
        if (!itemErrors.IsEmpty) throw ApiError.BadRequest("Failed to set the subscriptions.", errors.Add("subscriptions", itemErrors));
        return [.. list];
    }

    /// <summary>
    /// Binds the caller's auth (only a guest client may be upgraded; any other change is 403) and replaces the
    /// client's subscriptions.
    /// </summary>
    public static void SetSubscriptions(RealtimeClient client, RealtimeAuth auth, Subscription[] subscriptions)
    {
        var current = client.Auth;
        if (!current.IsGuest && current.Key != auth.Key)
            throw ApiError.Forbidden("The current and the previous request authorization don't match.");
        // The same record again (e.g. after auth-refresh) renews the binding's expiry and secret.
        if (current.IsGuest || auth.Record is not null) client.SetAuth(auth);
        client.SetSubscriptions(subscriptions);
    }

    /// <summary>
    /// POST /api/realtime applied to a client of this node (protocol.md §6.2), whichever node the request reached: the
    /// caller's IP must be the client's (400), then the auth binding rule of <see cref="SetSubscriptions"/> (403).
    /// </summary>
    public static void Apply(RealtimeClient client, string callerIp, RealtimeAuth auth, Subscription[] subscriptions)
    {
        if (client.Ip != callerIp) throw ApiError.BadRequest("Invalid realtime client.");
        SetSubscriptions(client, auth, subscriptions);
    }

    /// <summary>
    /// The OAuth2 popup hand-off (protocol.md §5.5b): a client of this node subscribed to "@oauth2", from the caller's IP,
    /// gets {state, code[, error]} once (the subscription is removed by the one call that delivers). False: not a target.
    /// </summary>
    public static bool TryHandOffOAuth2(RealtimeClient client, string callerIp, string code, string error)
    {
        if (client.Ip != callerIp || !client.TryRemoveSubscription(Subscription.OAuth2Topic)) return false;
        var data = new System.Text.Json.Nodes.JsonObject { ["state"] = client.Id, ["code"] = code };
        if (error.Length > 0) data["error"] = error;
        client.TrySend(new RealtimeMessage(Subscription.OAuth2Topic, System.Text.Encoding.UTF8.GetBytes(data.ToJsonString())));
        return true;
    }

    /// <summary>
    /// Keeps clients bound to an auth record in step with it: a changed tokenKey (password or email change), a deleted
    /// record or one the collection's authRule no longer lets in (e.g. banned) makes them guests.
    /// </summary>
    internal async Task RefreshAuthAsync(Projects.Project project, System.Data.Common.DbConnection conn, Records.Record authRecord, bool deleted, CancellationToken ct)
    {
        var key = authRecord.Collection.Id + "/" + authRecord.Id;
        bool? allowed = null;
        foreach (var c in ClientsOf(project.Name))
        {
            var a = c.Auth;
            if (a.Record is null || a.Key != key) continue;
            if (deleted || a.Record.GetString("tokenKey") != authRecord.GetString("tokenKey")) { c.SetAuth(RealtimeAuth.Guest); continue; }
            allowed ??= await AuthRuleAllowsAsync(project, conn, authRecord, ct);
            c.SetAuth(allowed.Value ? a with { Record = authRecord } : RealtimeAuth.Guest);
        }
    }

    /// <summary>
    /// The client's auth if its token would still be accepted (not expired, the collection's token secret unchanged,
    /// the collection still there); otherwise the client is made a guest and Guest is returned.
    /// </summary>
    internal static RealtimeAuth Revalidate(Projects.Project project, RealtimeClient client, long nowUnix)
    {
        var a = client.Auth;
        if (a.Record is null) return a;
        var current = project.Collections.FindById(a.Record.Collection.Id);
        var valid = current?.Auth is { } opts && opts.AuthToken.Secret == a.Secret && (a.ExpiresAt <= 0 || nowUnix < a.ExpiresAt);
        if (valid) return a;
        client.SetAuth(RealtimeAuth.Guest);
        return RealtimeAuth.Guest;
    }

    /// <summary>The authRule as sign-in applies it: null refuses, empty allows; rules on @request.* are sign-in only.</summary>
    private static async Task<bool> AuthRuleAllowsAsync(Projects.Project project, System.Data.Common.DbConnection conn, Records.Record record, CancellationToken ct)
    {
        var rule = record.Collection.Auth?.AuthRule;
        if (rule is null) return false;
        if (rule.Trim().Length == 0 || rule.Contains("@request", StringComparison.Ordinal)) return true;
        var req = new Records.RequestInfo { Auth = record, Method = "GET" };
        return await Records.RecordWriter.MatchesRuleAsync(project, conn, null, record.Collection, rule, record.Id, req, ct);
    }
}
