using System.Data.Common;

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

    /// <summary>
    /// Starts listening; after a lost connection has been replaced, <paramref name="onReconnected"/> runs in the notices'
    /// order (the notices sent in between are lost: the node reloads what they may have said). A loss itself is reported
    /// to <paramref name="onError"/> as a <see cref="RealtimeBusConnectionLostException"/>.
    /// </summary>
    void Start(Func<string, Task> onNotice, Action<Exception> onError, Func<Task> onReconnected) => Start(onNotice, onError);

    Task PublishAsync(string payload, CancellationToken ct = default);

    /// <summary>
    /// Publishes as part of a write transaction: the notice leaves when the transaction commits (so a node that dies
    /// right after its commit has already told the others) and never when it rolls back. False when this bus cannot
    /// (the caller then publishes after the commit with <see cref="PublishAsync"/>).
    /// </summary>
    ValueTask<bool> PublishInTransactionAsync(DbTransaction transaction, string payload, CancellationToken ct = default);

    /// <summary>
    /// Queues the notice to leave right after the write transaction's commit, in the commit's own round trip (not inside
    /// the transaction: the commits of writes do not serialise on it). Null when this bus cannot (the caller then
    /// publishes after the commit with <see cref="PublishAsync"/>); else whether it went out is known after the commit.
    /// </summary>
    Data.Postgres.PostgresCommitBatch? PublishAtCommit(DbTransaction transaction, string payload) => null;

    /// <summary>True while the bus hears the other nodes (not between a lost connection and the next LISTEN).</summary>
    bool IsListening => true;

    /// <summary>How many other nodes listen on the bus now, or null when the bus cannot tell.</summary>
    Task<int?> CountOtherListenersAsync(CancellationToken ct) => Task.FromResult<int?>(null);
}
