using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>Realtime record changes of this collection.</summary>
public sealed partial class RecordService<T>
{
    /// <summary>
    /// Listens to changes of every record ("*") or of one record (its id) that the caller may view: the listener gets
    /// each event with the record read as <typeparamref name="T"/>. Dispose the result to stop listening.
    /// </summary>
    public Task<RealtimeSubscription> SubscribeAsync(string topic, Action<RecordEvent<T>> listener, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(listener);
        var json = _client.JsonOptions;
        return _client.Realtime.SubscribeAsync(CollectionIdOrName + "/" + topic, payload => listener(payload.Deserialize<RecordEvent<T>>(json)!), options, cancellationToken);
    }

    /// <summary>Stops every listener of <paramref name="topic"/> ("*" or an id) of this collection, or all of them when null.</summary>
    public Task UnsubscribeAsync(string? topic = null, CancellationToken cancellationToken = default) =>
        topic is null
            ? _client.Realtime.UnsubscribeByPrefixAsync(CollectionIdOrName + "/", cancellationToken)
            : _client.Realtime.UnsubscribeAsync(CollectionIdOrName + "/" + topic, cancellationToken);
}
