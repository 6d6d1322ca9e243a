using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>
/// Realtime over server-sent events (GET /api/realtime): the first subscription opens the stream, PB_CONNECT gives the
/// client id, and the subscriptions are posted with the current auth token. When the stream drops, it reconnects after
/// <see cref="ReconnectDelays"/> and posts every subscription again; the last unsubscribe closes it.
/// </summary>
public sealed class RealtimeService : IDisposable
{
    private readonly PaperGaoClient _client;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<RealtimeSubscription>> _subscriptions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _submitGate = new(1, 1);
    private CancellationTokenSource? _loopStop;
    private Task _loop = Task.CompletedTask;
    private TaskCompletionSource<string> _connected = NewConnected();

    internal RealtimeService(PaperGaoClient client) => _client = client;

    /// <summary>The id of the current connection ("" when not connected).</summary>
    public string ClientId { get; private set; } = "";

    public bool IsConnected => ClientId.Length > 0;

    /// <summary>The waits between reconnect attempts (the last one repeats).</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; set; } =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2)];

    /// <summary>Raised with the client id after every (re)connect, once the subscriptions were posted.</summary>
    public event EventHandler<string>? Connected;

    /// <summary>Raised when the stream drops (an exception when it failed rather than ended).</summary>
    public event EventHandler<Exception?>? Disconnected;

    /// <summary>A listener threw: the exception (the stream goes on).</summary>
    public event EventHandler<Exception>? ListenerError;

    /// <summary>
    /// Listens to a topic ("posts/*", "posts/RECORD_ID" or a custom one): <paramref name="listener"/> gets each message's
    /// JSON on the stream's reader (keep it short). Completes once the server has the subscription.
    /// </summary>
    public async Task<RealtimeSubscription> SubscribeAsync(string topic, Action<JsonObject> listener, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(listener);
        var subscription = new RealtimeSubscription(this, Key(topic, options), listener);
        bool isNewKey;
        lock (_gate)
        {
            isNewKey = !_subscriptions.TryGetValue(subscription.Key, out var list);
            if (isNewKey) _subscriptions[subscription.Key] = list = [];
            list!.Add(subscription);
            if (_loopStop is null)
            {
                _loopStop = new CancellationTokenSource();
                _connected = NewConnected();
                var stop = _loopStop.Token;
                _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);
                isNewKey = false; // PB_CONNECT posts every subscription
            }
        }
        try
        {
            var clientId = await WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
            if (isNewKey) await SubmitAsync(clientId, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveAsync(subscription, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return subscription;
    }

    /// <summary>Drops every listener of <paramref name="topic"/> (any options), or of every topic when null.</summary>
    public async Task UnsubscribeAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        List<RealtimeSubscription> gone;
        lock (_gate)
        {
            gone = [.. _subscriptions.Where(p => topic is null || p.Key == topic || p.Key.StartsWith(topic + "?", StringComparison.Ordinal)).SelectMany(p => p.Value)];
        }
        foreach (var s in gone) await RemoveAsync(s, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops every listener whose topic starts with <paramref name="prefix"/> (e.g. "posts/").</summary>
    public async Task UnsubscribeByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        List<RealtimeSubscription> gone;
        lock (_gate) gone = [.. _subscriptions.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(p => p.Value)];
        foreach (var s in gone) await RemoveAsync(s, cancellationToken).ConfigureAwait(false);
    }

    internal async Task RemoveAsync(RealtimeSubscription subscription, CancellationToken ct)
    {
        bool keyGone, allGone;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(subscription.Key, out var list) || !list.Remove(subscription)) return;
            keyGone = list.Count == 0;
            if (keyGone) _subscriptions.Remove(subscription.Key);
            allGone = _subscriptions.Count == 0;
        }
        if (allGone) { Stop(); return; }
        if (keyGone && ClientId is { Length: > 0 } id)
        {
            try
            {
                await SubmitAsync(id, ct).ConfigureAwait(false);
            }
            catch (ClientResponseException)
            {
                // The connection went away meanwhile: the next PB_CONNECT posts the current set.
            }
        }
    }

    private async Task<string> WaitConnectedAsync(CancellationToken ct)
    {
        Task<string> connected;
        lock (_gate) connected = _connected.Task;
        return await connected.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>POST /api/realtime {clientId, subscriptions}: replaces the server's set with ours and binds our auth.</summary>
    private async Task SubmitAsync(string clientId, CancellationToken ct)
    {
        await _submitGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string[] keys;
            lock (_gate) keys = [.. _subscriptions.Keys];
            await _client.SendAsync<JsonObject?>(HttpMethod.Post, "/api/realtime", new JsonObject { ["clientId"] = clientId, ["subscriptions"] = new JsonArray([.. keys.Select(k => (JsonNode)k)]) }, null, ct).ConfigureAwait(false);
        }
        finally
        {
            _submitGate.Release();
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                using var response = await _client.SendRawAsync(HttpMethod.Get, "/api/realtime", null, new RequestOptions { Headers = new Dictionary<string, string> { ["Accept"] = "text/event-stream" } }, stop).ConfigureAwait(false);
                var stream = await response.Content.ReadAsStreamAsync(stop).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    await ReadEventsAsync(stream, () => attempt = 0, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ClientResponseException or IOException or HttpRequestException or OperationCanceledException)
            {
                failure = e;
            }
            lock (_gate)
            {
                if (_connected.Task.IsCompleted) _connected = NewConnected();
            }
            ClientId = "";
            Disconnected?.Invoke(this, failure);
            if (stop.IsCancellationRequested) return;
            var delay = ReconnectDelays.Count == 0 ? TimeSpan.FromSeconds(1) : ReconnectDelays[Math.Min(attempt, ReconnectDelays.Count - 1)];
            attempt++;
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads "event:"/"data:" frames until the stream ends; PB_CONNECT posts the subscriptions.</summary>
    private async Task ReadEventsAsync(Stream stream, Action onConnected, CancellationToken stop)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string eventName = "", data = "";
        while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventName.Length > 0) await DispatchAsync(eventName, data, onConnected, stop).ConfigureAwait(false);
                eventName = data = "";
                continue;
            }
            if (line.StartsWith("event:", StringComparison.Ordinal)) eventName = Value(line, 6);
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data = data.Length == 0 ? Value(line, 5) : data + "\n" + Value(line, 5);
        }
    }

    private async Task DispatchAsync(string eventName, string data, Action onConnected, CancellationToken stop)
    {
        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(data) as JsonObject;
        }
        catch (JsonException)
        {
            payload = null;
        }
        if (eventName == "PB_CONNECT")
        {
            var id = payload?["clientId"]?.GetValue<string>() ?? "";
            ClientId = id;
            await SubmitAsync(id, stop).ConfigureAwait(false);
            onConnected();
            TaskCompletionSource<string> connected;
            lock (_gate) connected = _connected;
            connected.TrySetResult(id);
            Connected?.Invoke(this, id);
            return;
        }
        if (payload is null) return;
        RealtimeSubscription[] listeners;
        lock (_gate) listeners = _subscriptions.TryGetValue(eventName, out var list) ? [.. list] : [];
        foreach (var s in listeners)
        {
            try
            {
                s.Listener(payload.DeepClone().AsObject());
            }
            catch (Exception e)
            {
                ListenerError?.Invoke(this, e);
            }
        }
    }

    private static string Value(string line, int start) => line.Length > start && line[start] == ' ' ? line[(start + 1)..] : line[start..];

    /// <summary>The topic as the JS SDK sends it: options (filter/expand/fields in query, headers) as ?options=JSON.</summary>
    private static string Key(string topic, SubscribeOptions? options)
    {
        if (options is null) return topic;
        var query = new JsonObject();
        if (options.Filter is not null) query["filter"] = options.Filter;
        if (options.Expand is not null) query["expand"] = options.Expand;
        if (options.Fields is not null) query["fields"] = options.Fields;
        if (options.Query is not null) foreach (var (k, v) in options.Query) if (v is not null) query[k] = v;
        var o = new JsonObject();
        if (query.Count > 0) o["query"] = query;
        if (options.Headers is { Count: > 0 } headers) o["headers"] = new JsonObject([.. headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)h.Value))]);
        return o.Count == 0 ? topic : topic + (topic.Contains('?') ? "&" : "?") + "options=" + Uri.EscapeDataString(o.ToJsonString());
    }

    private static TaskCompletionSource<string> NewConnected() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Stop()
    {
        CancellationTokenSource? stop;
        lock (_gate)
        {
            stop = _loopStop;
            _loopStop = null;
            if (_connected.Task.IsCompleted) _connected = NewConnected();
        }
        ClientId = "";
        if (stop is null) return;
        stop.Cancel();
    }

    /// <summary>Closes the stream and forgets every subscription.</summary>
    public void Dispose()
    {
        lock (_gate) _subscriptions.Clear();
        Stop();
    }
}
