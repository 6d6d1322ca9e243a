using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>A project's SQLite file: WAL, one serialized writer connection and a pool of readers.</summary>
public sealed class SqliteProjectDatabase : ProjectDatabase
{
    private const int MaxIdleReaders = 16;
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;
    private bool _disposed;

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
    }

    public string Path { get; }

    public override ISqlDialect Dialect => SqliteDialect.Instance;

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; " +
                          "PRAGMA journal_size_limit=200000000; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000; PRAGMA foreign_keys=OFF;";
        cmd.ExecuteNonQuery();
        return c;
    }

    protected override DbCommand CreateCommand(DbConnection connection, DbTransaction? tx, string sql) =>
        StatementCache.For((SqliteConnection)connection).Rent((SqliteConnection)connection, tx, sql);

    private static void Close(SqliteConnection c)
    {
        StatementCache.Clear(c);
        c.Dispose();
    }

    public override async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var conn)) conn = Open();
        var healthy = true;
        try
        {
            return await work(conn);
        }
        catch
        {
            healthy = conn.State == System.Data.ConnectionState.Open;
            throw;
        }
        finally
        {
            if (healthy && !_disposed && _readers.Count < MaxIdleReaders) _readers.Add(conn);
            else Close(conn);
        }
    }

    public override async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeLock.WaitAsync(ct);
        try
        {
            _writer ??= Open();
            await using var tx = _writer.BeginTransaction(deferred: false);
            try
            {
                var result = await work(tx);
                await tx.CommitAsync(CancellationToken.None);
                return result;
            }
            catch
            {
                try { await tx.RollbackAsync(CancellationToken.None); } catch (SqliteException) { /* already rolled back */ }
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await _writeLock.WaitAsync();
        try
        {
            _disposed = true;
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
        finally
        {
            _writeLock.Release();
        }
    }
}
