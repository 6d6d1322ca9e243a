using System.Data.Common;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>A project's PostgreSQL schema: a data source whose search_path is the project's schema.</summary>
/// <remarks>
/// Two pools: the request path's (tuned by <see cref="PostgresConnectionTuning"/>: statements prepared, no reset between
/// uses) and the superuser console's, whose connections are reset when they go back (console SQL may change session state).
/// </remarks>
public sealed class PostgresProjectDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource pinnedSource, NpgsqlDataSource consoleSource, string schema,
    TimeSpan connectionStatementTimeout) : ProjectDatabase
{
    public string Schema { get; } = schema;

    /// <summary>
    /// The connections carry the provider's statement_timeout; when <see cref="ProjectDatabase.StatementTimeout"/> was
    /// changed since, each unit of work sets its own (reset when the connection goes back to the pool).
    /// </summary>
    private async Task<bool> ApplyLimitAsync(NpgsqlConnection conn, bool local, CancellationToken ct)
    {
        if (StatementTimeout == connectionStatementTimeout) return false;
        var ms = StatementTimeout <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(StatementTimeout.TotalMilliseconds);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = FormattableString.Invariant($"SET {(local ? "LOCAL " : "")}statement_timeout = {ms}");
        await cmd.ExecuteNonQueryAsync(ct);
        return true;
    }

    public override ISqlDialect Dialect => PostgresDialect.Instance;

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        try
        {
            return await ReadOnceAsync(work, ct);
        }
        catch (PostgresException ex) when (IsStalePlan(ex))
        {
            // A statement prepared before a column changed type (the schema notice of another node not here yet, or a
            // read that overlapped this node's change): drop the prepared statements with their connections, once.
            ClearPools();
            return await ReadOnceAsync(work, ct);
        }
    }

    private async Task<T> ReadOnceAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        // A limit changed at run time is session state: it needs a connection of its own, not a multiplexed one.
        var changedLimit = StatementTimeout != connectionStatementTimeout;
        await using var conn = await (changedLimit ? pinnedSource : dataSource).OpenConnectionAsync(ct);
        var limited = false;
        try
        {
            if (changedLimit) limited = await ApplyLimitAsync(conn, local: false, ct);
            return await work(conn);
        }
        catch (Exception ex) when (Translate(ex, ct) is { } stopped)
        {
            throw stopped;
        }
        finally
        {
            // Pooled connections are not reset (PostgresConnectionTuning): the next user must not inherit the limit.
            if (limited && conn.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    await using var reset = new NpgsqlCommand("RESET statement_timeout", conn);
                    await reset.ExecuteNonQueryAsync(CancellationToken.None);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    conn.Close(); // a broken connection is not reused
                }
            }
        }
    }

    /// <summary>"cached plan must not change result type": a prepared statement outlived a change of its result's columns.</summary>
    public static bool IsStalePlan(PostgresException ex) =>
        ex.SqlState == PostgresErrorCodes.FeatureNotSupported && ex.MessageText.Contains("cached plan", StringComparison.Ordinal);

    public override Cluster.ISharedCounters SharedCounters => _counters ??= new Cluster.PostgresSharedCounters(dataSource);

    private Cluster.ISharedCounters? _counters;

    /// <summary>The tables changed: statements prepared on the pooled connections may no longer fit, so the pool is emptied.</summary>
    public override void SchemaChanged() => ClearPools();

    private void ClearPools()
    {
        dataSource.Clear();
        pinnedSource.Clear();
    }

    /// <summary>
    /// The statement stopped by statement_timeout (57014 without a cancellation of ours) or by Npgsql's command
    /// timeout (the client-side backstop) as <see cref="StatementTimeoutException"/>; a cancelled one as cancellation.
    /// </summary>
    private Exception? Translate(Exception ex, CancellationToken ct)
    {
        var canceled = ex is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled } || (ex is NpgsqlException && ex.InnerException is TimeoutException);
        if (!canceled) return null;
        if (ct.IsCancellationRequested) return new OperationCanceledException("The query was cancelled.", ex, ct);
        return new StatementTimeoutException(StatementTimeout, ex);
    }

    public override async Task<T> SnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var cmd = new NpgsqlCommand("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 0", conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        return await work(conn, tx);
    }

    public override Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default) =>
        WriteOnAsync(dataSource, work, ct);

    private async Task<T> WriteOnAsync<T>(NpgsqlDataSource source, Func<DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var conn = await source.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The write's last statement and its notices for the other nodes travel with the COMMIT (PostgresCommitBatch).
        var commitBatch = PostgresCommitBatch.Open(tx);
        try
        {
            await ApplyLimitAsync(conn, local: true, ct);
            var result = await work(tx);
            await commitBatch.CommitAsync(conn, Counted);
            return result;
        }
        catch (Exception ex)
        {
            try { await tx.RollbackAsync(CancellationToken.None); } catch (Exception e) when (e is InvalidOperationException or NpgsqlException) { /* connection broken or already completed */ }
            if (Translate(ex, ct) is { } stopped) throw stopped;
            // A statement refused because an earlier one failed and its error was caught inside the write: say so.
            if (ex is PostgresException { SqlState: PostgresErrorCodes.InFailedSqlTransaction }) throw new WriteRolledBackException(ex);
            throw;
        }
    }

    /// <summary>The write's last statement goes in front of its COMMIT, one round trip (<see cref="PostgresCommitBatch"/>).</summary>
    public override bool DeferLastStatement(DbTransaction tx, string sql, SqlParams parameters, Func<DbException, Exception?> mapError) =>
        PostgresCommitBatch.DeferLast(tx, sql, parameters, mapError);

    /// <summary>A savepoint that rolls back also drops the notices and held-back statements queued in it for the commit.</summary>
    public override async Task<T> InSavepointAsync<T>(DbTransaction tx, Func<Task<T>> work, CancellationToken ct)
    {
        var mark = PostgresCommitBatch.Mark(tx);
        try
        {
            return await base.InSavepointAsync(tx, work, ct);
        }
        catch
        {
            PostgresCommitBatch.UndoTo(tx, mark);
            throw;
        }
    }

    public override bool ConsoleConfined => false;

    public override Task<long> ConsoleExecuteAsync(string sql, CancellationToken ct) =>
        WriteOnAsync(consoleSource, async tx =>
        {
            await using var cmd = tx.Connection!.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return (long)Math.Max(0, await cmd.ExecuteNonQueryAsync(ct));
        }, ct);

    public override async Task<T> ConsoleReadAsync<T>(string sql, Func<DbCommand, Task<T>> run, CancellationToken ct)
    {
        await using var conn = await consoleSource.OpenConnectionAsync(ct);
        try
        {
            await ApplyLimitAsync(conn, local: false, ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var ro = new NpgsqlCommand("SET TRANSACTION READ ONLY", conn, tx)) await ro.ExecuteNonQueryAsync(ct);
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            try
            {
                return await run(cmd);
            }
            finally
            {
                try { await tx.RollbackAsync(CancellationToken.None); } catch (Exception e) when (e is InvalidOperationException or NpgsqlException) { /* connection broken */ }
            }
        }
        catch (Exception ex) when (Translate(ex, ct) is { } stopped)
        {
            throw stopped;
        }
    }

    public override async Task LockMigrationsAsync(DbTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", (NpgsqlConnection)tx.Connection!, (NpgsqlTransaction)tx);
        cmd.Parameters.AddWithValue(MigrationLockKey(Schema));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The advisory lock key of a schema's migrations (also taken around CREATE SCHEMA by the provider).</summary>
    public static string MigrationLockKey(string schema) => "papergao-migrate:" + schema;

    /// <summary>
    /// Takes the session-level advisory lock named <paramref name="key"/> (database-wide, so every node of a cluster sees
    /// it) on a connection of its own, without waiting: null when another session holds it. Disposing unlocks it; a
    /// process that dies releases it with its connection.
    /// </summary>
    public async Task<IAsyncDisposable?> TryAdvisoryLockAsync(string key, CancellationToken ct = default)
    {
        var conn = await pinnedSource.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", conn);
            cmd.Parameters.AddWithValue(key);
            if (await cmd.ExecuteScalarAsync(ct) is true) return new AdvisoryLock(conn, key);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
        await conn.DisposeAsync();
        return null;
    }

    private sealed class AdvisoryLock(NpgsqlConnection conn, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", conn);
                cmd.Parameters.AddWithValue(key);
                await cmd.ExecuteScalarAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection broke: the server released the lock with the session.
            }
            finally
            {
                await conn.DisposeAsync();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await consoleSource.DisposeAsync();
        await pinnedSource.DisposeAsync();
        await dataSource.DisposeAsync();
    }
}
