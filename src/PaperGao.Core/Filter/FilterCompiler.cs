namespace PaperGao.Core.Filter;

/// <summary>
/// Compiles filters, rules and sorts into parameterized SQL for the context's dialect, over the fields the context
/// supplies (records of a collection, or the columns of a fixed table: <see cref="FilterContext"/>).
/// Multi-valued paths become EXISTS / NOT EXISTS subqueries, so the main query never needs DISTINCT.
/// </summary>
public static class FilterCompiler
{
    /// <summary>A boolean SQL expression, wrapped in parentheses. Throws <see cref="FilterException"/>.</summary>
    public static string CompileFilter(string filter, FilterContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var expr = FilterParser.Parse(filter);
        var s = new SqlExprCompiler(ctx);
        var parts = expr is Ast.AndExpr and ? and.Items : [expr];
        var outside = new List<string>();
        var inside = new List<string>();
        foreach (var part in parts)
        {
            var before = s.Shared.Touches;
            var sql = s.CompileExpr(part, s.Shared);
            (s.Shared.Touches > before ? inside : outside).Add(sql);
        }
        if (inside.Count > 0)
        {
            inside.AddRange(s.Shared.Guards);
            outside.Add($"EXISTS (SELECT 1 FROM {s.Shared.From()} WHERE {string.Join(" AND ", inside)})");
        }
        outside.AddRange(s.MainGuards);
        return "(" + string.Join(" AND ", outside) + ")";
    }

    /// <summary>An ORDER BY list without the keywords; empty string for an empty sort. Throws <see cref="FilterException"/>.</summary>
    public static string CompileSort(string sort, FilterContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var items = SortParser.Parse(sort);
        if (items.Count == 0) return "";
        var s = new SqlExprCompiler(ctx);
        return string.Join(", ", items.Select(s.CompileSortItem).Where(x => x.Length > 0));
    }
}
