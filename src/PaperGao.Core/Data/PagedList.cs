using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PaperGao.Core.Data;

/// <summary>
/// The page a list asks for: page (from 1), perPage (already clamped), whether to skip the count, and whether to
/// estimate it instead (<c>estimateTotal=1</c>, <see cref="TotalEstimate"/>: exact up to
/// <see cref="TotalEstimate.ExactUpTo"/> matches, estimated above; the answer then says <c>totalEstimated</c>).
/// </summary>
public readonly record struct PageWindow(int Page, int PerPage, bool SkipTotal, bool EstimateTotal = false)
{
    public long Offset => (long)(Page - 1) * PerPage;

    /// <summary>-1 when the total was skipped (-1).</summary>
    public long TotalPages(long totalItems) => totalItems < 0 ? -1 : (long)Math.Ceiling(totalItems / (double)PerPage);
}

/// <summary>
/// One list statement pair: what the page selects, the list's FROM/WHERE (<see cref="PagedList.FromWhere"/>), its
/// ORDER BY (none when empty), the page and the parameters both statements share. <paramref name="Table"/> is the
/// list's main table (FROM &lt;Table&gt; AS t; <paramref name="IsView"/>: a view, which has no rowid), which an
/// estimated total (<see cref="PageWindow.EstimateTotal"/>) samples on SQLite.
/// </summary>
public readonly record struct PagedQuery(string Columns, string FromWhere, string? OrderBy, PageWindow Page, SqlParams? Parameters, string Table, bool IsView = false);

/// <summary>
/// The paged list every list endpoint runs (records over REST and GraphQL, collections, logs), from one FROM/WHERE
/// text: an optional COUNT(*) over it and the page statement with ORDER BY/LIMIT/OFFSET, run together
/// (<see cref="QueryAsync"/>), and the page fields of the answer (protocol.md §2.2). What each list reads per row
/// (records as JSON or objects, collection ids, log rows) and the fields its filter may use stay with the list.
/// </summary>
public static class PagedList
{
    /// <summary>" FROM &lt;table&gt; AS t &lt;joins&gt; WHERE &lt;c1&gt; AND &lt;c2&gt;..." (empty conditions left out; equal joins once).</summary>
    public static string FromWhere(ISqlDialect d, string table, IEnumerable<string> joins, params ReadOnlySpan<string?> conditions) =>
        FromSourceWhere(d.Quote(table), joins, conditions);

    /// <summary>
    /// <see cref="FromWhere"/> over a source that is SQL text already (a quoted table name or a derived table such as
    /// a deleted record's row): " FROM &lt;source&gt; AS t &lt;joins&gt; WHERE ...". Every statement that selects
    /// records with conditions and rules (lists, rule checks, counts) builds its FROM/WHERE here.
    /// </summary>
    public static string FromSourceWhere(string source, IEnumerable<string> joins, params ReadOnlySpan<string?> conditions)
    {
        ArgumentNullException.ThrowIfNull(joins);
        var sb = new StringBuilder(" FROM ").Append(source).Append(" AS t");
        foreach (var j in joins.Distinct(StringComparer.Ordinal)) sb.Append(' ').Append(j);
        var first = true;
        foreach (var c in conditions)
        {
            if (string.IsNullOrEmpty(c)) continue;
            sb.Append(first ? " WHERE " : " AND ").Append(c);
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>"SELECT &lt;columns&gt;&lt;fromWhere&gt; ORDER BY ... LIMIT ... OFFSET ..." (no ORDER BY when orderBy is empty).</summary>
    public static string PageSql(string columns, string fromWhere, string? orderBy, PageWindow page)
    {
        var sql = new StringBuilder("SELECT ").Append(columns).Append(fromWhere);
        if (!string.IsNullOrEmpty(orderBy)) sql.Append(" ORDER BY ").Append(orderBy);
        sql.Append(" LIMIT ").Append(page.PerPage.ToString(CultureInfo.InvariantCulture))
           .Append(" OFFSET ").Append(page.Offset.ToString(CultureInfo.InvariantCulture));
        return sql.ToString();
    }

    /// <summary>
    /// Runs a list: the COUNT(*) over its FROM/WHERE (unless the page skips the total) and the page, handing each row of
    /// the page to <paramref name="row"/> (after <paramref name="begin"/>, called once the database has answered);
    /// returns the total, or -1 when skipped. On PostgreSQL the two statements go in one round trip (a batch); SQLite,
    /// where a statement is a call into this process, runs them one after the other. An estimated total
    /// (<see cref="PageWindow.EstimateTotal"/>) is <see cref="TotalEstimate.CountAsync"/>'s, after the page.
    /// </summary>
    public static async Task<long> QueryAsync(ProjectDatabase db, DbConnection conn, DbTransaction? tx, PagedQuery query,
        Action<DbDataReader> row, CancellationToken ct, Action? begin = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (query.Page.EstimateTotal)
        {
            await QueryAsync(db, conn, tx, query with { Page = query.Page with { SkipTotal = true, EstimateTotal = false } }, row, ct, begin);
            return await TotalEstimate.CountAsync(db, conn, tx, query.Table, query.IsView, query.FromWhere, query.Parameters, ct);
        }
        var pageSql = PageSql(query.Columns, query.FromWhere, query.OrderBy, query.Page);
        long total = -1;
        if (!query.Page.SkipTotal)
        {
            var countSql = "SELECT COUNT(*)" + query.FromWhere;
            if (db.Batch(conn, tx, (countSql, query.Parameters), (pageSql, query.Parameters)) is { } batch)
            {
                await using (batch)
                {
                    await using var reader = await batch.ExecuteReaderAsync(ct);
                    if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("COUNT(*) returned no row.");
                    total = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                    if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("The page's result is missing.");
                    begin?.Invoke();
                    while (await reader.ReadAsync(ct)) row(reader);
                }
                return total;
            }
            await using var countCmd = db.Command(conn, tx, countSql, query.Parameters);
            total = Convert.ToInt64(await countCmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }
        await using var cmd = db.Command(conn, tx, pageSql, query.Parameters);
        await using var pageReader = await cmd.ExecuteReaderAsync(ct);
        begin?.Invoke();
        while (await pageReader.ReadAsync(ct)) row(pageReader);
        return total;
    }

    /// <summary>
    /// Writes "page", "perPage", "totalItems" and "totalPages" into the open answer object, and "totalEstimated" when
    /// the page asked for an estimate.
    /// </summary>
    public static void WriteCounts(Utf8JsonWriter w, PageWindow page, long totalItems)
    {
        w.WriteNumber("page", page.Page);
        w.WriteNumber("perPage", page.PerPage);
        w.WriteNumber("totalItems", totalItems);
        w.WriteNumber("totalPages", page.TotalPages(totalItems));
        if (page.EstimateTotal) w.WriteBoolean("totalEstimated", TotalEstimate.IsEstimate(totalItems));
    }
}
