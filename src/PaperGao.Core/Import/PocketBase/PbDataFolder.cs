using Microsoft.Data.Sqlite;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// A PocketBase pb_data folder opened for reading: data.db read-only (the folder is never modified), checked to be a
/// sound SQLite file written by PocketBase 0.23 or later.
/// </summary>
public sealed class PbDataFolder : IAsyncDisposable
{
    public const string VersionLine = "0.23+";

    private PbDataFolder(string dir, SqliteConnection connection, IReadOnlySet<string> tables)
    {
        Dir = dir;
        Connection = connection;
        Tables = tables;
    }

    public string Dir { get; }
    public SqliteConnection Connection { get; }

    /// <summary>The tables of data.db (names as written).</summary>
    public IReadOnlySet<string> Tables { get; }

    public string StorageDir => Path.Combine(Dir, "storage");

    public static async Task<PbDataFolder> OpenAsync(string dir, CancellationToken ct = default)
    {
        if (!Directory.Exists(dir)) throw new PocketBaseImportException($"'{dir}' is not a folder.");
        var full = Path.GetFullPath(dir);
        var dataDb = Path.Combine(full, "data.db");
        if (!File.Exists(dataDb))
            throw new PocketBaseImportException($"'{dir}' is not a PocketBase pb_data folder: it has no data.db.");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataDb, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await CheckIntegrityAsync(connection, ct);
            var tables = await TablesAsync(connection, ct);
            if (!tables.Contains("_collections"))
                throw new PocketBaseImportException($"'{dir}' is not a PocketBase pb_data folder: data.db has no _collections table.");
            var columns = await ColumnsAsync(connection, "_collections", ct);
            if (tables.Contains("_admins") || (columns.Contains("schema") && !columns.Contains("fields")))
                throw new PocketBaseImportException(
                    $"'{dir}' was written by PocketBase older than 0.23 (the v0.22 line or earlier: it has an _admins table and a 'schema' column). " +
                    $"Only pb_data from the PocketBase {VersionLine} line can be imported: run PocketBase v0.23 or later on it once (it migrates the data), then import again.");
            if (!columns.Contains("fields") || !tables.Contains("_params"))
                throw new PocketBaseImportException($"'{dir}' is not a PocketBase {VersionLine} pb_data folder: _collections has no 'fields' column or _params is missing.");
            return new PbDataFolder(full, connection, tables);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new PocketBaseImportException($"'{dataDb}' can't be read as a SQLite database (corrupt or not a database): {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A read-only connection to auxiliary.db, or null when the folder has none.</summary>
    public async Task<SqliteConnection?> OpenAuxiliaryAsync(CancellationToken ct = default)
    {
        var path = Path.Combine(Dir, "auxiliary.db");
        if (!File.Exists(path)) return null;
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await c.OpenAsync(ct);
        return c;
    }

    private static async Task CheckIntegrityAsync(SqliteConnection c, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA quick_check";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var problems = new List<string>();
        while (await r.ReadAsync(ct))
        {
            var line = r.GetString(0);
            if (!string.Equals(line, "ok", StringComparison.OrdinalIgnoreCase) && problems.Count < 3) problems.Add(line);
        }
        if (problems.Count > 0)
            throw new PocketBaseImportException($"data.db is corrupt (SQLite integrity check: {string.Join("; ", problems)}).");
    }

    private static async Task<HashSet<string>> TablesAsync(SqliteConnection c, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await r.ReadAsync(ct)) set.Add(r.GetString(0));
        return set;
    }

    public async Task<HashSet<string>> ColumnsOfAsync(string table, CancellationToken ct = default) => await ColumnsAsync(Connection, table, ct);

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection c, string table, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info($t)";
        cmd.Parameters.AddWithValue("$t", table);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await r.ReadAsync(ct)) set.Add(r.GetString(0));
        return set;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
