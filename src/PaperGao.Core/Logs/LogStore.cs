using System.Data.Common;
using System.Globalization;
using System.Text;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Logs;

/// <summary>
/// One project's log database (<see cref="IDatabaseProvider.OpenLogsAsync"/>): creates its tables on open, writes
/// batches of log rows and minute aggregates in one transaction, and deletes what is past retention.
/// </summary>
public sealed class LogStore : IAsyncDisposable
{
    /// <summary>Per-minute aggregates are kept this long whatever logs.maxDays says: they hold no personal data.</summary>
    public const int MinuteRetentionDays = 30;

    private LogStore(ProjectDatabase database) => Database = database;

    public ProjectDatabase Database { get; }

    public ISqlDialect Dialect => Database.Dialect;

    public static async Task<LogStore> OpenAsync(ProjectDatabase database, CancellationToken ct = default)
    {
        try
        {
            await database.WriteAsync(async tx =>
            {
                await database.LockMigrationsAsync(tx, ct);
                foreach (var sql in LogSchema.CreateStatements(database.Dialect)) await database.ExecuteAsync(tx, sql, null, ct);
            }, ct);
            return new LogStore(database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Rows per INSERT statement: fewer statements to run, and a handful of distinct (cached) statement texts.</summary>
    private const int RowsPerInsert = 64;

    /// <summary>Stores the rows (already filtered by the settings) and merges the minute aggregates, in one transaction.</summary>
    public Task WriteAsync(IReadOnlyList<LogRow> rows, IReadOnlyCollection<MinuteAggregate> minutes, CancellationToken ct = default)
    {
        if (rows.Count == 0 && minutes.Count == 0) return Task.CompletedTask;
        var upsert = MinuteUpsertSql(Dialect);
        return Database.WriteAsync(async tx =>
        {
            for (var start = 0; start < rows.Count; start += RowsPerInsert)
            {
                var count = Math.Min(RowsPerInsert, rows.Count - start);
                var p = new SqlParams();
                for (var i = start; i < start + count; i++)
                {
                    var row = rows[i];
                    p.Add(row.Id);
                    p.Add(row.Created);
                    p.Add((double)row.Level);
                    p.Add(row.Message);
                    p.Add(row.DataJson);
                }
                await RunAsync(tx, InsertSql(count), p, ct);
            }
            foreach (var m in minutes)
            {
                var p = new SqlParams();
                p.Add(m.Minute);
                p.Add((double)m.Total);
                p.Add((double)m.Errors);
                p.Add((double)m.ClientErrors);
                p.Add(m.DurationSum);
                p.Add(m.MaxMs);
                foreach (var b in m.Buckets) p.Add((double)b);
                await RunAsync(tx, upsert, p, ct);
            }
        }, ct);
    }

    /// <summary>
    /// Every statement of a log write is one of its last (nothing reads in between): on PostgreSQL they all go with the
    /// COMMIT, one round trip instead of one each plus the COMMIT's (<see cref="ProjectDatabase.DeferLastStatement"/>).
    /// </summary>
    private async Task RunAsync(DbTransaction tx, string sql, SqlParams p, CancellationToken ct)
    {
        if (!Database.DeferLastStatement(tx, sql, p, _ => null)) await Database.ExecuteAsync(tx, sql, p, ct);
    }

    private readonly string?[] _insertSql = new string?[RowsPerInsert + 1];

    /// <summary>INSERT of <paramref name="count"/> rows, parameters @p0.. five per row (built once per count).</summary>
    private string InsertSql(int count) => _insertSql[count] ??= BuildInsertSql(Dialect, count);

    private static string BuildInsertSql(ISqlDialect d, int count)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(d.Quote(LogSchema.LogsTable)).Append(" (")
            .Append(string.Join(", ", ((string[])["id", "created", "level", "message", "data"]).Select(d.Quote))).Append(") VALUES ");
        for (var r = 0; r < count; r++)
        {
            var b = r * 5;
            string P(int i) => "@p" + (b + i).ToString(CultureInfo.InvariantCulture);
            sql.Append(r == 0 ? "(" : ", (").Append(P(0)).Append(", ").Append(P(1)).Append(", ").Append(P(2)).Append(", ").Append(P(3)).Append(", ")
               .Append(d.ParameterSql(ColumnKind.Json, P(4))).Append(')');
        }
        // Same syntax on SQLite and PostgreSQL: an id clash (two servers, same millisecond and counter) skips the row.
        return sql.Append(" ON CONFLICT DO NOTHING").ToString();
    }

    private string? _minuteUpsertSql;

    private string MinuteUpsertSql(ISqlDialect d) => _minuteUpsertSql ??= BuildMinuteUpsertSql(d);

    private static string BuildMinuteUpsertSql(ISqlDialect d)
    {
        var t = d.Quote(LogSchema.MinutesTable);
        List<string> columns = ["minute", "total", "errors", "clientErrors", "durationSum", "maxMs", .. Enumerable.Range(0, LatencyHistogram.Count).Select(LogSchema.BucketColumn)];
        var sql = new StringBuilder("INSERT INTO ").Append(t).Append(" (").Append(string.Join(", ", columns.Select(d.Quote))).Append(") VALUES (")
            .Append(string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))))
            .Append(") ON CONFLICT (").Append(d.Quote("minute")).Append(") DO UPDATE SET ");
        var sets = columns.Skip(1).Select(c =>
        {
            var q = d.Quote(c);
            return c == "maxMs"
                ? $"{q} = CASE WHEN excluded.{q} > {t}.{q} THEN excluded.{q} ELSE {t}.{q} END"
                : $"{q} = {t}.{q} + excluded.{q}";
        });
        return sql.Append(string.Join(", ", sets)).ToString();
    }

    /// <summary>Deletes log rows older than <paramref name="maxDays"/> days (all of them for 0) and minute rows older than <see cref="MinuteRetentionDays"/>.</summary>
    public async Task<int> CleanupAsync(DateTimeOffset now, int maxDays, CancellationToken ct = default)
    {
        var d = Dialect;
        var logsCut = DateTimes.Format(now.AddDays(-Math.Max(0, maxDays)));
        var minutesCut = DateTimes.Format(now.AddDays(-MinuteRetentionDays));
        return await Database.WriteAsync(async tx =>
        {
            var p = new SqlParams();
            var deleted = await Database.ExecuteAsync(tx, $"DELETE FROM {d.Quote(LogSchema.LogsTable)} WHERE {d.Quote("created")} < {p.Add(logsCut)}", p, ct);
            var q = new SqlParams();
            await Database.ExecuteAsync(tx, $"DELETE FROM {d.Quote(LogSchema.MinutesTable)} WHERE {d.Quote("minute")} < {q.Add(minutesCut)}", q, ct);
            return deleted;
        }, ct);
    }

    /// <summary>The minute rows in [from, to): minute, total, errors, clientErrors, durationSum, maxMs, buckets.</summary>
    public Task<List<MinuteRow>> MinutesAsync(string from, string to, CancellationToken ct = default) =>
        Database.ReadAsync(async conn =>
        {
            var d = Dialect;
            var p = new SqlParams();
            var buckets = string.Concat(Enumerable.Range(0, LatencyHistogram.Count).Select(i => ", " + d.Quote(LogSchema.BucketColumn(i))));
            var sql = $"SELECT {d.Quote("minute")}, {d.Quote("total")}, {d.Quote("errors")}, {d.Quote("clientErrors")}, {d.Quote("durationSum")}, {d.Quote("maxMs")}{buckets} " +
                      $"FROM {d.Quote(LogSchema.MinutesTable)} WHERE {d.Quote("minute")} >= {p.Add(from)} AND {d.Quote("minute")} < {p.Add(to)} ORDER BY {d.Quote("minute")}";
            await using var cmd = Database.Command(conn, null, sql, p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<MinuteRow>();
            while (await r.ReadAsync(ct))
            {
                var b = new long[LatencyHistogram.Count];
                for (var i = 0; i < b.Length; i++) b[i] = (long)Num(r, 6 + i);
                list.Add(new MinuteRow(r.GetString(0), (long)Num(r, 1), (long)Num(r, 2), (long)Num(r, 3), Num(r, 4), Num(r, 5), b));
            }
            return list;
        }, ct);

    /// <summary>The size in bytes of the log database (its file, or its schema's tables).</summary>
    public async Task<long> SizeAsync(CancellationToken ct = default) =>
        await Database.ReadAsync(async conn => Convert.ToInt64(await Database.ScalarAsync(conn, null, Dialect.DatabaseSizeSql, null, ct) ?? 0L, CultureInfo.InvariantCulture), ct);

    private static double Num(DbDataReader r, int i) => r.IsDBNull(i) ? 0 : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

/// <summary>A log row ready to store: PocketBase's log model with the data object already serialized.</summary>
public sealed record LogRow(string Id, string Created, int Level, string Message, string DataJson);

/// <summary>One stored minute of request aggregates.</summary>
public sealed record MinuteRow(string Minute, long Total, long Errors, long ClientErrors, double DurationSum, double MaxMs, long[] Buckets);
