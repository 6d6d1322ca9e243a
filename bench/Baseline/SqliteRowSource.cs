using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace PaperGao.Bench.Baseline;

/// <summary>The SQLite file opened read-only (pooled connections); the file is already in WAL mode.</summary>
public sealed class SqliteRowSource(string file, string table) : RowSource
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = file,
        Mode = SqliteOpenMode.ReadOnly,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
    }.ToString();

    protected override string SelectByIdSql { get; } = $"SELECT * FROM \"{table}\" WHERE id = @id LIMIT 1";

    /// <summary>The journal mode the file reports ("wal" is expected): printed at start-up.</summary>
    public async Task<string> JournalModeAsync()
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(ct);
        return conn;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
