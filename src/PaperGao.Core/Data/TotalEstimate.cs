using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace PaperGao.Core.Data;

/// <summary>
/// The total of a list when the client asked for an estimate (<c>estimateTotal=1</c> on the records, collections and
/// logs lists, through <see cref="PagedList.QueryAsync"/>): exact up to
/// <see cref="ExactUpTo"/> matches (a count that stops there), above it an estimate whose cost does not grow with the
/// matches. PostgreSQL: the planner's row estimate for the list's FROM/WHERE (EXPLAIN: planning only, from the table
/// statistics that ANALYZE/autovacuum keep). SQLite, which keeps no row estimates: the matches among
/// <see cref="Windows"/> windows of <see cref="WindowRows"/> consecutive rowids spread over the table, scaled to its
/// rowid range. A view (no rowid) is counted exactly, and so is a table of at most <see cref="SqliteExactTableRowIds"/>
/// rowids, straight away: the estimate reads at least 9,001 rows in 10 statements, more than that count costs. A total
/// above <see cref="ExactUpTo"/> is reported as an estimate (it may happen to be exact); one at or below it is exact.
/// </summary>
public static class TotalEstimate
{
    /// <summary>Matches counted exactly before estimating.</summary>
    public const int ExactUpTo = 1000;

    /// <summary>SQLite's sample: this many windows of <see cref="WindowRows"/> rowids, evenly spread.</summary>
    public const int Windows = 8;

    public const int WindowRows = 1000;

    /// <summary>
    /// SQLite: a table whose rowid range is at most this is counted exactly, with no capped count and no sample. The
    /// estimate reads at least <see cref="ExactUpTo"/> + 1 + <see cref="Windows"/> x <see cref="WindowRows"/> = 9,001
    /// rows in 10 statements; counting at most 10,000 rows in one statement costs no more, and less when an index
    /// serves the filter (session 12, SQLite 3.40 in memory on a loaded machine, 2,000-200,000 rows, half matching: the
    /// estimate ~280 us at every size; the exact count 104 us at 10,000 rows with an index on the filtered column and
    /// 218 us without, breaking even near 28,000 and 12,000 rows). docs/records.md.
    /// </summary>
    public const int SqliteExactTableRowIds = 10_000;

    /// <summary>True when a total returned by <see cref="CountAsync"/> is (to be taken as) an estimate.</summary>
    public static bool IsEstimate(long total) => total > ExactUpTo;

    /// <param name="fromWhere">" FROM &lt;table&gt; AS t ... WHERE ..." of the list (<see cref="PagedList.FromWhere"/>).</param>
    public static async Task<long> CountAsync(ProjectDatabase db, DbConnection conn, DbTransaction? tx, string table, bool isView, string fromWhere,
        SqlParams? parameters, CancellationToken ct)
    {
        var d = db.Dialect;
        var exact = "SELECT COUNT(*)" + fromWhere;
        var sqliteTable = d.Name == "sqlite" && !isView;
        long first = 0, last = -1;
        if (sqliteTable)
        {
            // The rowid range first (two lookups at the ends of the table): a small table is counted exactly at once.
            var q = d.Quote(table);
            await using var cmd = db.Command(conn, tx, $"SELECT (SELECT MIN(_rowid_) FROM {q}), (SELECT MAX(_rowid_) FROM {q})");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.IsDBNull(0))
            {
                first = reader.GetInt64(0);
                last = reader.GetInt64(1);
            }
        }
        var span = last - first + 1;
        if (sqliteTable && span <= SqliteExactTableRowIds) return ToLong(await db.ScalarAsync(conn, tx, exact, parameters, ct));

        var capped = ToLong(await db.ScalarAsync(conn, tx, $"SELECT COUNT(*) FROM (SELECT 1 AS x{fromWhere} LIMIT {Invariant(ExactUpTo + 1)}) AS c", parameters, ct));
        if (capped <= ExactUpTo) return capped;

        if (d.Name != "sqlite")
        {
            var plan = Convert.ToString(await db.ScalarAsync(conn, tx, "EXPLAIN (FORMAT JSON) SELECT 1" + fromWhere, parameters, ct), CultureInfo.InvariantCulture) ?? "[]";
            using var doc = JsonDocument.Parse(plan);
            var rows = doc.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
            return Math.Max(ExactUpTo + 1, (long)Math.Round(rows));
        }

        if (isView) return ToLong(await db.ScalarAsync(conn, tx, exact, parameters, ct));
        // The list's rows as a subquery with the window as a rowid range outside it: SQLite flattens it into a rowid
        // range scan of the window (the numbers are computed here, not input).
        long hits = 0;
        for (var k = 0; k < Windows; k++)
        {
            var from = first + ((span - WindowRows) * k / (Windows - 1));
            var sql = $"SELECT COUNT(*) FROM (SELECT {d.RowIdSql("t", isView: false)} AS r{fromWhere}) WHERE r BETWEEN {Invariant(from)} AND {Invariant(from + WindowRows - 1)}";
            hits += ToLong(await db.ScalarAsync(conn, tx, sql, parameters, ct));
        }
        return Math.Max(ExactUpTo + 1, (long)Math.Round(hits * ((double)span / ((long)Windows * WindowRows))));
    }

    private static string Invariant(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static long ToLong(object? v) => Convert.ToInt64(v, CultureInfo.InvariantCulture);
}
