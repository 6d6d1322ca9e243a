using Microsoft.Data.Sqlite;
using PaperGao.Core.Data;
using PaperGao.Core.Logs;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// Copies PocketBase's request logs (auxiliary.db "_logs": id, created, level, message, data — the same model as
/// PaperGao's) into the project's log database, streamed in batches. The log database is separate from the project's,
/// so this runs after the data import committed; a failure here is reported and leaves the imported data as it is.
/// </summary>
public static class PbLogCopier
{
    private const int BatchSize = 1000;

    /// <summary>How many log rows auxiliary.db holds, or null when it has no readable _logs table.</summary>
    public static async Task<long?> CountAsync(SqliteConnection aux, CancellationToken ct)
    {
        try
        {
            await using var cmd = aux.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM _logs";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return null;
        }
    }

    public static async Task<long> CopyAsync(SqliteConnection aux, IDatabaseProvider provider, string project, CancellationToken ct)
    {
        await using var store = await LogStore.OpenAsync(await provider.OpenLogsAsync(project, ct), ct);
        await using var cmd = aux.CreateCommand();
        cmd.CommandText = "SELECT id, created, level, message, data FROM _logs ORDER BY created, id";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var batch = new List<LogRow>(BatchSize);
        long copied = 0;
        while (await reader.ReadAsync(ct))
        {
            batch.Add(new LogRow(reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? "" : reader.GetString(3), reader.IsDBNull(4) ? "{}" : reader.GetString(4)));
            if (batch.Count < BatchSize) continue;
            await store.WriteAsync(batch, [], ct);
            copied += batch.Count;
            batch.Clear();
        }
        await store.WriteAsync(batch, [], ct);
        return copied + batch.Count;
    }
}
