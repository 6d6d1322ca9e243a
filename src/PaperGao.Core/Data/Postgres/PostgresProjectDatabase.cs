using System.Data.Common;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>A project's PostgreSQL schema: a data source whose search_path is the project's schema.</summary>
public sealed class PostgresProjectDatabase(NpgsqlDataSource dataSource, string schema) : ProjectDatabase
{
    public string Schema { get; } = schema;

    public override ISqlDialect Dialect => PostgresDialect.Instance;

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await work(conn);
    }

    public override async Task<T> SnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var cmd = new NpgsqlCommand("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = 0", conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        return await work(conn, tx);
    }

    public override async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var result = await work(tx);
            await tx.CommitAsync(CancellationToken.None);
            return result;
        }
        catch
        {
            try { await tx.RollbackAsync(CancellationToken.None); } catch (Exception e) when (e is InvalidOperationException or NpgsqlException) { /* connection broken or already completed */ }
            throw;
        }
    }

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
