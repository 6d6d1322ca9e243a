using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using PaperGao.Core.Telemetry;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>
/// A project's SQLite file: WAL, a pool of readers and one writer connection. Writes queue instead of meeting
/// "database is locked": one loop runs them, and when several are waiting it runs them in one transaction
/// (group commit), each inside its own savepoint so one failing write rolls back alone. A write's caller is
/// answered only after the COMMIT that made it durable.
/// </summary>
public sealed class SqliteProjectDatabase : ProjectDatabase
{
    private const int MaxIdleReaders = 16;
    private const int MaxGroup = 64;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly Channel<WriteItem> _queue = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writerLoop;
    private readonly ConcurrentDictionary<SqliteConnection, SqliteTimeLimit> _open = new();
    private SqliteConnection? _writer;
    private volatile bool _disposed;
    private int _pending; // the single-reader channel can't count its items

    public SqliteProjectDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
        }.ToString();
        _writerLoop = Task.Run(WriterLoopAsync);
    }

    public string Path { get; }

    /// <summary>Writes waiting for the writer loop (the metrics' queue depth).</summary>
    public int PendingWrites => Volatile.Read(ref _pending);

    public override ISqlDialect Dialect => SqliteDialect.Instance;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; " +
                          "PRAGMA journal_size_limit=200000000; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000; PRAGMA foreign_keys=OFF;";
        cmd.ExecuteNonQuery();
        _open[c] = SqliteTimeLimit.Attach(c);
        SqliteStatementSpans.Attach(c, System.IO.Path.GetFileNameWithoutExtension(Path));
        return c;
    }

    protected override DbCommand CreateCommand(DbConnection connection, DbTransaction? tx, string sql)
    {
        var c = (SqliteConnection)connection;
        SqliteTimeLimit.Of(c)?.Restart(); // each statement gets the whole limit
        return StatementCache.For(c).Rent(c, tx, sql);
    }

    private void Close(SqliteConnection c)
    {
        _open.TryRemove(c, out _);
        StatementCache.Clear(c);
        c.Dispose();
    }

    /// <summary>
    /// An interrupted statement (SQLITE_INTERRUPT from the progress handler) as what stopped it: the caller's
    /// cancellation, the time limit, or the database closing.
    /// </summary>
    private Exception? Translate(Exception ex, SqliteTimeLimit? limit, CancellationToken ct)
    {
        if (ex is not SqliteException { SqliteErrorCode: 9 }) return null;
        if (ct.IsCancellationRequested) return new OperationCanceledException("The query was cancelled.", ex, ct);
        if (limit?.TimedOut == true) return new StatementTimeoutException(StatementTimeout, ex);
        if (_disposed) return new ObjectDisposedException(nameof(SqliteProjectDatabase), "The database is closing.");
        return null;
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ct.ThrowIfCancellationRequested();
        if (!_readers.TryTake(out var conn)) conn = Open();
        var limit = SqliteTimeLimit.Of(conn);
        limit?.Begin(StatementTimeout, ct);
        var healthy = true;
        try
        {
            return await work(conn);
        }
        catch (Exception ex)
        {
            healthy = conn.State == System.Data.ConnectionState.Open;
            if (Translate(ex, limit, ct) is { } stopped) throw stopped;
            throw;
        }
        finally
        {
            limit?.End();
            if (healthy && !_disposed && _readers.Count < MaxIdleReaders) _readers.Add(conn);
            else Close(conn);
        }
    }

    public override Task<T> SnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        ReadAsync(async conn =>
        {
            // A backup streams rows out while it reads them, for as long as that takes: no statement time limit (as
            // statement_timeout = 0 on PostgreSQL), the caller's cancellation still applies.
            SqliteTimeLimit.Of((SqliteConnection)conn)?.Begin(TimeSpan.Zero, ct);
            // WAL: the snapshot starts at the first read and stays fixed; the writer keeps committing meanwhile.
            await using var tx = ((SqliteConnection)conn).BeginTransaction(deferred: true);
            return await work(conn, tx);
        }, ct);

    public override Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var item = new WriteItem<T>(work, ct);
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(item))
        {
            Interlocked.Decrement(ref _pending);
            throw new ObjectDisposedException(nameof(SqliteProjectDatabase));
        }
        return item.Task;
    }

    private async Task WriterLoopAsync()
    {
        var group = new List<WriteItem>(MaxGroup);
        Activity.Current = null; // not the span of whichever request opened the database; each write brings its own
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var item))
            {
                Interlocked.Decrement(ref _pending);
                if (item.Cancellation.IsCancellationRequested) item.Fail(new OperationCanceledException(item.Cancellation));
                else group.Add(item);
            }
            if (group.Count == 0) continue;
            try
            {
                _writer ??= Open();
            }
            catch (Exception ex)
            {
                foreach (var i in group) i.Fail(ex);
                continue;
            }
            await RunGroupAsync(_writer, group);
        }
    }

    private async Task RunGroupAsync(SqliteConnection writer, List<WriteItem> group)
    {
        var limit = SqliteTimeLimit.Of(writer);
        SqliteTransaction tx;
        try
        {
            tx = writer.BeginTransaction(deferred: false);
        }
        catch (Exception ex)
        {
            foreach (var i in group) i.Fail(ex);
            return;
        }
        using (tx)
        {
            var done = new List<WriteItem>(group.Count);
            var single = group.Count == 1;
            foreach (var item in group)
            {
                try
                {
                    if (!single) tx.Save("pg_write");
                    // Writes get the time limit but not the caller's cancellation: interrupting a write statement rolls
                    // back the whole transaction, which would take the other grouped writes with it.
                    limit?.Begin(StatementTimeout, CancellationToken.None);
                    // With tracing, the write's statements belong to the span that queued it.
                    Activity.Current = item.Parent;
                    var span = item.Parent is null ? null : PaperGaoTracing.Source.StartActivity("sqlite write");
                    try
                    {
                        item.RecordWait();
                        await item.RunAsync(tx);
                    }
                    catch (Exception raw) when (Translate(raw, limit, CancellationToken.None) is { } stopped)
                    {
                        throw stopped;
                    }
                    finally
                    {
                        span?.Dispose();
                        Activity.Current = null;
                        limit?.End();
                    }
                    if (!single) tx.Release("pg_write");
                    done.Add(item);
                }
                catch (Exception ex)
                {
                    if (single)
                    {
                        TryRollback(tx);
                        item.Fail(ex);
                        return;
                    }
                    try
                    {
                        tx.Rollback("pg_write");
                        tx.Release("pg_write");
                        item.Fail(ex);
                    }
                    catch (Exception broken)
                    {
                        // The transaction itself is gone (e.g. disk full): nothing of this group was committed.
                        TryRollback(tx);
                        item.Fail(ex);
                        foreach (var other in group.Where(g => g != item)) other.Fail(broken);
                        return;
                    }
                }
            }
            try
            {
                tx.Commit();
            }
            catch (Exception ex)
            {
                TryRollback(tx);
                foreach (var i in done) i.Fail(ex);
                return;
            }
            foreach (var i in done) i.Complete();
        }
    }

    private static void TryRollback(SqliteTransaction tx)
    {
        try { tx.Rollback(); }
        catch (SqliteException) { /* already rolled back by SQLite */ }
        catch (InvalidOperationException) { /* already completed */ }
    }

    public override bool ConsoleConfined => true;

    public override Task<long> ConsoleExecuteAsync(string sql, CancellationToken ct) =>
        WriteAsync(async tx =>
        {
            var c = (SqliteConnection)tx.Connection!;
            // sqlite3_changes() is not reset by DDL, so the count is total_changes() after minus before.
            var before = SQLitePCL.raw.sqlite3_total_changes(c.Handle);
            using (SqliteConsoleGuard.Install(c))
            {
                await using var cmd = c.CreateCommand();
                cmd.Transaction = (SqliteTransaction)tx;
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync(ct);
            }
            return (long)(SQLitePCL.raw.sqlite3_total_changes(c.Handle) - before);
        }, ct);

    public override Task<T> ConsoleReadAsync<T>(string sql, Func<DbCommand, Task<T>> run, CancellationToken ct) =>
        ReadAsync(async conn =>
        {
            var c = (SqliteConnection)conn;
            await using (var on = c.CreateCommand())
            {
                on.CommandText = "PRAGMA query_only = 1";
                await on.ExecuteNonQueryAsync(ct);
            }
            try
            {
                using var guard = SqliteConsoleGuard.Install(c);
                await using var cmd = c.CreateCommand();
                cmd.CommandText = sql;
                return await run(cmd);
            }
            finally
            {
                await using var off = c.CreateCommand();
                off.CommandText = "PRAGMA query_only = 0";
                off.ExecuteNonQuery();
            }
        }, ct);

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        // Running reads end now (shutdown never waits on a query); queued writes still finish, each under the time limit.
        foreach (var (c, limit) in _open)
        {
            if (c != _writer) limit.Stop();
        }
        _queue.Writer.TryComplete();
        await _writerLoop;
        while (_readers.TryTake(out var c)) Close(c);
        if (_writer is not null)
        {
            // Fold the WAL back into the main file so a clean stop leaves one file.
            await using (var cmd = _writer.CreateCommand())
            {
                cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                try { await cmd.ExecuteNonQueryAsync(); } catch (SqliteException) { /* readers still open elsewhere */ }
            }
            Close(_writer);
        }
    }

    /// <summary>A queued write: its work, and the caller's task, completed only after the commit.</summary>
    private abstract class WriteItem(CancellationToken cancellation)
    {
        private readonly long _queued = PaperGaoMetrics.SqliteWriteWait.Enabled ? Stopwatch.GetTimestamp() : 0;

        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>The span that queued this write, while traces are exported.</summary>
        public Activity? Parent { get; } = PaperGaoTracing.Source.HasListeners() ? Activity.Current : null;

        public void RecordWait()
        {
            if (_queued != 0) PaperGaoMetrics.SqliteWriteWait.Record(Stopwatch.GetElapsedTime(_queued).TotalSeconds);
        }

        public abstract Task RunAsync(DbTransaction tx);
        public abstract void Complete();
        public abstract void Fail(Exception ex);
    }

    private sealed class WriteItem<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellation) : WriteItem(cancellation)
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override async Task RunAsync(DbTransaction tx) => _result = await work(tx);

        public override void Complete() => _tcs.TrySetResult(_result!);

        public override void Fail(Exception ex)
        {
            if (ex is OperationCanceledException oce) _tcs.TrySetCanceled(oce.CancellationToken);
            else _tcs.TrySetException(ex);
        }
    }
}
