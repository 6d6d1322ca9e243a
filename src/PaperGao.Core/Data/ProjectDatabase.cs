using System.Data.Common;

namespace PaperGao.Core.Data;

/// <summary>
/// One project's database: a pool of readers and a way to run a write transaction.
/// SQLite serializes writers inside the process (one writer connection), so callers queue instead of seeing
/// "database is locked"; PostgreSQL runs transactions concurrently.
/// </summary>
public abstract class ProjectDatabase : IAsyncDisposable
{
    public abstract ISqlDialect Dialect { get; }

    /// <summary>Runs read work on a pooled connection.</summary>
    public abstract Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default);

    /// <summary>Runs work inside one write transaction; commits when it returns, rolls back when it throws.</summary>
    public abstract Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default);

    public abstract ValueTask DisposeAsync();

    public Task WriteAsync(Func<DbTransaction, Task> work, CancellationToken ct = default) =>
        WriteAsync<bool>(async tx => { await work(tx); return true; }, ct);

    private long _commandCount;

    /// <summary>Statements created through <see cref="Command"/> so far (tests count the queries of a request with it).</summary>
    public long CommandCount => Interlocked.Read(ref _commandCount);

    /// <summary>Creates a command on the connection of a transaction (or a plain connection) with bound parameters.</summary>
    public DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, SqlParams? parameters = null)
    {
        Interlocked.Increment(ref _commandCount);
        var cmd = CreateCommand(connection, tx, sql);
        parameters?.BindTo(cmd, Dialect);
        return cmd;
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
