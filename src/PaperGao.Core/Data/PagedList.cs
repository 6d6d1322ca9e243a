using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PaperGao.Core.Data;

/// <summary>The page a list asks for: page (from 1), perPage (already clamped) and whether to skip the count.</summary>
public readonly record struct PageWindow(int Page, int PerPage, bool SkipTotal)
{
    public long Offset => (long)(Page - 1) * PerPage;

    /// <summary>-1 when the total was skipped (-1).</summary>
    public long TotalPages(long totalItems) => totalItems < 0 ? -1 : (long)Math.Ceiling(totalItems / (double)PerPage);
}

/// <summary>
/// The paged list every list endpoint runs (records over REST and GraphQL, collections, logs), from one FROM/WHERE
/// text: an optional COUNT(*) over it, the page statement with ORDER BY/LIMIT/OFFSET, and the page fields of the
/// answer (protocol.md §2.2). What each list reads per row (records as JSON or objects, collection ids, log rows) and
/// how it compiles its filter stay with the list.
/// </summary>
public static class PagedList
{
    /// <summary>" FROM &lt;table&gt; AS t &lt;joins&gt; WHERE &lt;c1&gt; AND &lt;c2&gt;..." (empty conditions left out; equal joins once).</summary>
    public static string FromWhere(ISqlDialect d, string table, IEnumerable<string> joins, params ReadOnlySpan<string?> conditions)
    {
        var sb = new StringBuilder(" FROM ").Append(d.Quote(table)).Append(" AS t");
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

    /// <summary>COUNT(*) over the list's FROM/WHERE, or -1 when the page skips the total.</summary>
    public static async Task<long> CountAsync(ProjectDatabase db, DbConnection conn, DbTransaction? tx, string fromWhere, SqlParams? parameters, PageWindow page, CancellationToken ct)
    {
        if (page.SkipTotal) return -1;
        await using var cmd = db.Command(conn, tx, "SELECT COUNT(*)" + fromWhere, parameters);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>Writes "page", "perPage", "totalItems" and "totalPages" into the open answer object.</summary>
    public static void WriteCounts(Utf8JsonWriter w, PageWindow page, long totalItems)
    {
        w.WriteNumber("page", page.Page);
        w.WriteNumber("perPage", page.PerPage);
        w.WriteNumber("totalItems", totalItems);
        w.WriteNumber("totalPages", page.TotalPages(totalItems));
    }
}
