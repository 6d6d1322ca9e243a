namespace PaperGao.Client;

/// <summary>One listener of a realtime topic; disposing it unsubscribes (the topic is dropped when its last listener goes).</summary>
public sealed class RealtimeSubscription : IAsyncDisposable
{
    private readonly RealtimeService _service;
    private int _disposed;

    internal RealtimeSubscription(RealtimeService service, string key, Action<System.Text.Json.Nodes.JsonObject> listener)
    {
        _service = service;
        Key = key;
        Listener = listener;
    }

    /// <summary>The subscription as sent to the server (the topic plus its ?options=).</summary>
    public string Key { get; }

    internal Action<System.Text.Json.Nodes.JsonObject> Listener { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _service.RemoveAsync(this, CancellationToken.None).ConfigureAwait(false);
    }
}
