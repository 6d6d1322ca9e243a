namespace PaperGao.Core.Realtime;

/// <summary>
/// Carries realtime notices between the nodes of a cluster (record changes, schema changes). Payloads are short
/// strings (at most <see cref="MaxPayload"/> bytes); <see cref="RealtimeBusCodec"/> chunks longer ones.
/// </summary>
public interface IRealtimeBus : IAsyncDisposable
{
    /// <summary>PostgreSQL NOTIFY accepts payloads shorter than 8000 bytes.</summary>
    const int MaxPayload = 7900;

    /// <summary>False for a single node: nothing is published.</summary>
    bool IsShared { get; }

    /// <summary>Starts listening; each notice from another node (or this one) is handed to the callback in order.</summary>
    void Start(Func<string, Task> onNotice, Action<Exception> onError);

    Task PublishAsync(string payload, CancellationToken ct = default);
}
