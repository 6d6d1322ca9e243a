using System.Data.Common;
using System.Threading.Channels;
using Npgsql;

namespace PaperGao.Core.Realtime;

/// <summary>
/// The nodes of a PostgreSQL deployment tell each other through LISTEN/NOTIFY on one channel: one dedicated
/// listening connection per node. When that connection is lost (PostgreSQL restarted or shut down, the backend
/// terminated by an administrator: SQL state 57P01, the network) the bus opens a new one; the loss is reported as a
/// <see cref="RealtimeBusConnectionLostException"/>, not as a failure, and once listening again it asks the node to
/// reload what the notices of the gap may have said. A record write's notice goes with pg_notify in the batch that
/// commits the write, right after its COMMIT (<see cref="PublishAtCommit"/>), or inside the write's transaction with
/// <c>--realtime-notify transaction</c> (<see cref="PublishInTransactionAsync"/>: delivered at commit, dropped on
/// rollback); other notices (schema and settings changes, restores, the relay's) on a pooled connection of the bus.
/// </summary>
/// <param name="onListening">Runs each time a LISTEN has been issued (the first, and each after a failure): the end of an outage.</param>
public sealed class PostgresRealtimeBus(string connectionString, Action? onListening = null) : IRealtimeBus
{
    public const string ChannelName = "papergao_realtime";

    /// <summary>The application_name of the listening connections: the other nodes count them (<see cref="CountOtherListenersAsync"/>).</summary>
    public const string ListenerName = "papergao-bus";
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { Enlist = false, ApplicationName = ListenerName }.ConnectionString);
    private volatile bool _isListening;
    private int _listenerPid;

    /// <summary>
    /// Publishing sets no session state, so its pool skips the reset (a DISCARD ALL in front of every notice, i.e. of every
    /// committed write) and keeps pg_notify prepared; the listening connection (LISTEN is session state) is not from it.
    /// </summary>
    private readonly NpgsqlDataSource _publishSource = NpgsqlDataSource.Create(
        Data.Postgres.PostgresConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(connectionString)).ConnectionString);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Notices in order; null marks "listening again after a lost connection".</summary>
    private readonly Channel<string?> _inbox = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private Task _listen = Task.CompletedTask;
    private Task _deliver = Task.CompletedTask;
    private int _disposed;

    public bool IsShared => true;

    public bool IsListening => _isListening;

    /// <summary>The listening connections of this database other than this node's (one per node; a node that died may linger until PostgreSQL notices).</summary>
    public async Task<int?> CountOtherListenersAsync(CancellationToken ct)
    {
        await using var cmd = _publishSource.CreateCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> $2");
        cmd.Parameters.AddWithValue(ListenerName);
        cmd.Parameters.AddWithValue(Volatile.Read(ref _listenerPid));
        return await cmd.ExecuteScalarAsync(ct) is int n ? n : null;
    }

    /// <summary>Completes once the first LISTEN has been issued.</summary>
    public Task Listening => _listening.Task;

    public void Start(Func<string, Task> onNotice, Action<Exception> onError) => Start(onNotice, onError, static () => Task.CompletedTask);

    public void Start(Func<string, Task> onNotice, Action<Exception> onError, Func<Task> onReconnected)
    {
        _listen = Task.Run(() => ListenAsync(onError));
        _deliver = Task.Run(async () =>
        {
            await foreach (var payload in _inbox.Reader.ReadAllAsync(CancellationToken.None))
            {
                try { await (payload is null ? onReconnected() : onNotice(payload)); }
                catch (Exception ex) { onError(ex); }
            }
        });
    }

    private async Task ListenAsync(Action<Exception> onError)
    {
        var ct = _stop.Token;
        var lost = false;
        while (!ct.IsCancellationRequested)
        {
            var listened = false;
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct);
                conn.Notification += (_, e) => _inbox.Writer.TryWrite(e.Payload);
                await using (var cmd = new NpgsqlCommand("LISTEN " + ChannelName, conn)) await cmd.ExecuteNonQueryAsync(ct);
                Volatile.Write(ref _listenerPid, conn.ProcessID);
                _isListening = true;
                _listening.TrySetResult();
                onListening?.Invoke();
                if (lost) _inbox.Writer.TryWrite(null); // the notices of the gap are gone: reload after those before it
                lost = false;
                listened = true;
                while (!ct.IsCancellationRequested) await conn.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                _isListening = false;
                lost |= listened; // whatever ended a listening connection, notices may have been missed
                if (IsConnectionLoss(ex))
                {
                    lost = true;
                    onError(new RealtimeBusConnectionLostException(ex));
                }
                else onError(ex);
                // A connection that was listening is replaced at once (fewer notices missed); a failed attempt waits.
                if (listened) continue;
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { break; }
            }
        }
    }

    /// <summary>
    /// The connection went away rather than the bus failing: the server ended it (class 57, e.g. 57P01 at a shutdown
    /// or pg_terminate_backend; class 08), or the socket broke (Npgsql's transient errors: I/O, timeouts).
    /// </summary>
    public static bool IsConnectionLoss(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    public async Task PublishAsync(string payload, CancellationToken ct = default)
    {
        await using var cmd = _publishSource.CreateCommand("SELECT pg_notify($1, $2)");
        cmd.Parameters.AddWithValue(ChannelName);
        cmd.Parameters.AddWithValue(payload);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// pg_notify on the write's transaction: every project schema lives in the bus's database, so the listeners receive
    /// it at commit. A transaction of another provider cannot carry it (false).
    /// </summary>
    public async ValueTask<bool> PublishInTransactionAsync(DbTransaction transaction, string payload, CancellationToken ct = default)
    {
        if (transaction is not NpgsqlTransaction { Connection: { } conn } tx) return false;
        await using var cmd = new NpgsqlCommand("SELECT pg_notify($1, $2)", conn, tx);
        cmd.Parameters.AddWithValue(ChannelName);
        cmd.Parameters.AddWithValue(payload);
        await cmd.ExecuteNonQueryAsync(ct);
        return true;
    }

    /// <summary>pg_notify in the batch that commits the write (<see cref="Data.Postgres.PostgresCommitBatch"/>).</summary>
    public Data.Postgres.PostgresCommitBatch? PublishAtCommit(DbTransaction transaction, string payload) =>
        Data.Postgres.PostgresCommitBatch.AddNotice(transaction, ChannelName, payload);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        try { await _listen; } catch (OperationCanceledException) { }
        _inbox.Writer.TryComplete();
        await _deliver;
        await _dataSource.DisposeAsync();
        await _publishSource.DisposeAsync();
        _stop.Dispose();
    }
}
