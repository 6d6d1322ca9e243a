using Npgsql;

namespace PaperGao.Core.Cluster;

/// <summary>
/// <see cref="ISharedCounters"/> in two UNLOGGED tables of the project's schema (created on first use; not in backups,
/// not written to the WAL, emptied by a crash of the database, which only forgets limits): "_counters" (one row per
/// window or mark, updated by one upsert) and "_counterEvents" (one row per event). Rows past their end are deleted by
/// the next call after a sweep interval, on whichever node makes it. Keys are stored as SHA-256 digests: no client IP or
/// email in the table, and any key fits in a text column (keys may hold NUL, which PostgreSQL text refuses).
/// </summary>
public sealed class PostgresSharedCounters(NpgsqlDataSource dataSource) : ISharedCounters
{
    private const long SweepEveryMs = 60_000;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;
    private long _lastSweep;

    private const string CreateSql = """
        CREATE UNLOGGED TABLE IF NOT EXISTS "_counters" ("key" TEXT PRIMARY KEY NOT NULL, "start" BIGINT NOT NULL, "length" BIGINT NOT NULL, "n" INTEGER NOT NULL, "until" BIGINT NOT NULL);
        CREATE UNLOGGED TABLE IF NOT EXISTS "_counterEvents" ("key" TEXT NOT NULL, "at" BIGINT NOT NULL, "until" BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS "_counterEvents_key_at" ON "_counterEvents" ("key", "at");
        CREATE INDEX IF NOT EXISTS "_counterEvents_until" ON "_counterEvents" ("until");
        """;

    // One statement: a new window when none is open (or its length changed), otherwise one more in it.
    private const string AcquireSql = """
        INSERT INTO "_counters" AS c ("key", "start", "length", "n", "until") VALUES ($1, $2, $3, 1, $2 + $3)
        ON CONFLICT ("key") DO UPDATE SET
          "n" = CASE WHEN $2 >= c."start" + c."length" OR c."length" <> $3 THEN 1 ELSE c."n" + 1 END,
          "start" = CASE WHEN $2 >= c."start" + c."length" OR c."length" <> $3 THEN $2 ELSE c."start" END,
          "length" = $3,
          "until" = CASE WHEN $2 >= c."start" + c."length" OR c."length" <> $3 THEN $2 + $3 ELSE c."until" END
        RETURNING "n", "start"
        """;

    // A row comes back when the mark was free (new, or the last one older than the window).
    private const string TakeSql = """
        INSERT INTO "_counters" AS c ("key", "start", "length", "n", "until") VALUES ($1, $2, $3, 1, $2 + $3)
        ON CONFLICT ("key") DO UPDATE SET "start" = $2, "length" = $3, "until" = $2 + $3
        WHERE $2 - c."start" >= $3
        RETURNING 1
        """;

    public async Task<(bool Ok, long RetryAfterMs)> TryAcquireAsync(string key, int max, long windowMs, long nowMs, CancellationToken ct)
    {
        await using var conn = await OpenAsync(nowMs, ct);
        await using var cmd = new NpgsqlCommand(AcquireSql, conn);
        cmd.Parameters.AddWithValue(Digest(key));
        cmd.Parameters.AddWithValue(nowMs);
        cmd.Parameters.AddWithValue(windowMs);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var n = r.GetInt32(0);
        var start = r.GetInt64(1);
        return n <= max ? (true, 0) : (false, Math.Max(1, start + windowMs - nowMs));
    }

    public async Task<bool> TryTakeAsync(string key, long windowMs, long nowMs, CancellationToken ct)
    {
        await using var conn = await OpenAsync(nowMs, ct);
        await using var cmd = new NpgsqlCommand(TakeSql, conn);
        cmd.Parameters.AddWithValue(Digest(key));
        cmd.Parameters.AddWithValue(nowMs);
        cmd.Parameters.AddWithValue(windowMs);
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    public async Task AddEventAsync(string key, long nowMs, long keepMs, CancellationToken ct)
    {
        await using var conn = await OpenAsync(nowMs, ct);
        await using var cmd = new NpgsqlCommand("""INSERT INTO "_counterEvents" ("key", "at", "until") VALUES ($1, $2, $3)""", conn);
        cmd.Parameters.AddWithValue(Digest(key));
        cmd.Parameters.AddWithValue(nowMs);
        cmd.Parameters.AddWithValue(nowMs + keepMs);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> CountEventsAsync(string key, long sinceMs, CancellationToken ct)
    {
        await using var conn = await OpenAsync(null, ct);
        await using var cmd = new NpgsqlCommand("""SELECT COUNT(*) FROM "_counterEvents" WHERE "key" = $1 AND "at" >= $2""", conn);
        cmd.Parameters.AddWithValue(Digest(key));
        cmd.Parameters.AddWithValue(sinceMs);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Digest(string key) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>A connection once the tables exist; every minute or so, first deletes the rows that ended.</summary>
    private async Task<NpgsqlConnection> OpenAsync(long? nowMs, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            if (!_created) await CreateAsync(conn, ct);
            if (nowMs is { } now && now - Interlocked.Read(ref _lastSweep) >= SweepEveryMs)
            {
                Interlocked.Exchange(ref _lastSweep, now);
                await using var sweep = new NpgsqlCommand("""WITH w AS (DELETE FROM "_counters" WHERE "until" < $1) DELETE FROM "_counterEvents" WHERE "until" < $1""", conn);
                sweep.Parameters.AddWithValue(now);
                await sweep.ExecuteNonQueryAsync(ct);
            }
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await _createGate.WaitAsync(ct);
        try
        {
            if (_created) return;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var cmd = new NpgsqlCommand(CreateSql, conn);
                    await cmd.ExecuteNonQueryAsync(ct);
                    break;
                }
                catch (PostgresException e) when (attempt == 1 && e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.DuplicateObject)
                {
                    // Another node created them at the same moment (IF NOT EXISTS is not atomic across sessions): again.
                }
            }
            _created = true;
        }
        finally
        {
            _createGate.Release();
        }
    }
}
