using System.Data.Common;

namespace PaperGao.Core.Data;

/// <summary>
/// One project's database: a pool of readers and a way to run a write transaction.
/// SQLite serializes writers inside the process (one writer connection), so callers queue instead of seeing
/// "database is locked"; PostgreSQL runs transactions concurrently.
/// </summary>
public abstract class ProjectDatabase : IAsyncDisposable
{
    /// <summary>The statement time limit when none is configured (PaperGaoOptions.StatementTimeout).</summary>
    public static readonly TimeSpan DefaultStatementTimeout = TimeSpan.FromSeconds(30);

    public abstract ISqlDialect Dialect { get; }

    /// <summary>
    /// How long one statement may run before the database stops it (SQLite: progress handler; PostgreSQL:
    /// statement_timeout). It applies to everything run through <see cref="ReadAsync{T}"/> and <see cref="WriteAsync{T}"/>;
    /// a read also stops when its cancellation token fires (the client went away, the server is stopping). A stopped
    /// statement surfaces as <see cref="StatementTimeoutException"/> (or OperationCanceledException). Zero or less: no limit.
    /// </summary>
    public TimeSpan StatementTimeout { get; set; } = DefaultStatementTimeout;

    /// <summary>Runs read work on a pooled connection.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default);

    /// <summary>Runs work inside one write transaction; commits when it returns, rolls back when it throws.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default);

    /// <summary>
    /// Runs read work inside one read-only transaction that sees a single consistent snapshot of the whole database and
    /// blocks no writer (SQLite: a deferred transaction on a WAL reader; PostgreSQL: REPEATABLE READ, READ ONLY).
    /// Used by backups; no statement time limit applies inside it.
    /// </summary>
    public abstract Task<T> SnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default);

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Counters shared by every process that opens this database (rate limits, OTP attempts, the mail throttle), or null
    /// when this process is the only one (SQLite): then they are kept in memory.
    /// </summary>
    public virtual Cluster.ISharedCounters? SharedCounters => null;

    /// <summary>Called after the project's tables changed (here or on another node): drops what was prepared for the old ones.</summary>
    public virtual void SchemaChanged()
    {
    }

    /// <summary>
    /// Makes the rest of the write transaction <paramref name="tx"/> the only one that migrates this database, across
    /// every node that shares it: call it first in a transaction that creates system tables. On PostgreSQL a
    /// transaction-level advisory lock named after the schema (released at commit or rollback, or when the session dies);
    /// "CREATE TABLE IF NOT EXISTS" of two sessions at once can fail there with a duplicate key. SQLite has one writer
    /// per file already: nothing to do.
    /// </summary>
    public virtual Task LockMigrationsAsync(DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// Runs superuser console SQL (one or more statements; POST /api/sql) that writes, in one write transaction (all or
    /// nothing) under the statement time limit, and answers the rows the INSERT/UPDATE/DELETE statements changed.
    /// <see cref="ConsoleConfined"/> says whether the database keeps it inside the project.
    /// </summary>
    public abstract Task<long> ConsoleExecuteAsync(string sql, CancellationToken ct);

    /// <summary>Runs superuser console SQL read-only (a statement that tries to write fails) and hands its command to <paramref name="read"/>.</summary>
    public abstract Task<T> ConsoleReadAsync<T>(string sql, Func<DbCommand, Task<T>> read, CancellationToken ct);

    /// <summary>
    /// True when console SQL cannot reach outside the project (SQLite: its own file, ATTACH refused). False on
    /// PostgreSQL, where every project is a schema of one database the server's role can read entirely.
    /// </summary>
    public abstract bool ConsoleConfined { get; }

    public Task WriteAsync(Func<DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async tx => { await work(tx); return true; }, ct);

    private long _commandCount;

    /// <summary>Statements created through <see cref="Command"/> so far (tests count the queries of a request with it).</summary>
    public long CommandCount => Interlocked.Read(ref _commandCount);

    /// <summary>
    /// Sees the SQL and parameters of every statement created through <see cref="Command"/> (null by default): the
    /// query-plan tests capture what a request runs with it and check that an index serves each lookup.
    /// </summary>
    public Action<string, SqlParams?>? StatementObserver { get; set; }

    /// <summary>Creates a command on the connection of a transaction (or a plain connection) with bound parameters.</summary>
    public DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, SqlParams? parameters = null)
    {
        Interlocked.Increment(ref _commandCount);
        StatementObserver?.Invoke(sql, parameters);
        var cmd = CreateCommand(connection, tx, sql);
        parameters?.BindTo(cmd, Dialect);
        return cmd;
    }

    /// <summary>
    /// Statements sent to the database together, in one round trip, or null where the connection has no batches
    /// (SQLite, where a statement is a call into this process and costs no round trip): run them one by one then.
    /// Each statement counts as a command (<see cref="CommandCount"/>) and is shown to <see cref="StatementObserver"/>.
    /// </summary>
    public DbBatch? Batch(DbConnection connection, DbTransaction? tx, params ReadOnlySpan<(string Sql, SqlParams? Parameters)> statements)
    {
        if (!connection.CanCreateBatch) return null;
        var batch = connection.CreateBatch();
        batch.Transaction = tx;
        foreach (var (sql, parameters) in statements)
        {
            Interlocked.Increment(ref _commandCount);
            StatementObserver?.Invoke(sql, parameters);
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = sql;
            parameters?.BindTo(cmd);
            batch.BatchCommands.Add(cmd);
        }
        return batch;
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a savepoint of the write transaction <paramref name="tx"/>: when it throws,
    /// what it did in the database is undone (ROLLBACK TO SAVEPOINT) and the transaction goes on, on both databases
    /// (on PostgreSQL also out of the aborted state a failed statement leaves). Savepoints nest. On PostgreSQL each
    /// costs two round trips (SAVEPOINT, RELEASE or ROLLBACK TO and RELEASE).
    /// </summary>
    public virtual async Task<T> InSavepointAsync<T>(DbTransaction tx, Func<Task<T>> work, CancellationToken ct)
    {
        var name = "papergao_nested_" + Interlocked.Increment(ref _savepoints).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Counted("SAVEPOINT " + name, null);
        await tx.SaveAsync(name, ct);
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            // A rollback that fails throws its own error instead: the work could not be undone, so nothing may go on.
            Counted("ROLLBACK TO SAVEPOINT " + name, null);
            await tx.RollbackAsync(name, CancellationToken.None);
            await tx.ReleaseAsync(name, CancellationToken.None);
            throw;
        }
        Counted("RELEASE SAVEPOINT " + name, null);
        await tx.ReleaseAsync(name, ct);
        return result;
    }

    private long _savepoints;

    /// <summary>
    /// Holds back the last statement of the write transaction <paramref name="tx"/> (of <see cref="WriteAsync{T}"/>) to
    /// send it with the COMMIT, one round trip instead of two. The caller guarantees that nothing else runs on the
    /// transaction after it; a database error of the statement then comes out of the commit, as
    /// <paramref name="mapError"/>'s answer when it gives one. False where the database does not (SQLite, whose
    /// statements cost no round trip): run it now.
    /// </summary>
    public virtual bool DeferLastStatement(DbTransaction tx, string sql, SqlParams parameters, Func<DbException, Exception?> mapError) => false;

    /// <summary>Counts a statement sent without <see cref="Command"/> and shows it to <see cref="StatementObserver"/>.</summary>
    protected void Counted(string sql, SqlParams? parameters)
    {
        Interlocked.Increment(ref _commandCount);
        StatementObserver?.Invoke(sql, parameters);
    }

    /// <summary>A command for the SQL; SQLite hands out cached, already compiled statements.</summary>
    protected virtual DbCommand CreateCommand(DbConnection connection, DbTransaction? tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    public async Task<int> ExecuteAsync(DbTransaction tx, string sql, SqlParams? parameters = null, CancellationToken ct = default)
    {
        await using var cmd = Command(tx.Connection!, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? tx, string sql, SqlParams? parameters = null, CancellationToken ct = default)
    {
        await using var cmd = Command(connection, tx, sql, parameters);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }
}
