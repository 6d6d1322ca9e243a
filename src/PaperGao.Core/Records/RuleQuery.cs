using System.Data.Common;
using System.Text;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Rules;

namespace PaperGao.Core.Records;

/// <summary>Builds and runs "SELECT records WHERE &lt;condition&gt; AND &lt;rule&gt;" with the rule compiled into the SQL.</summary>
public static class RuleQuery
{
    /// <summary>
    /// Fetches records of a collection matching a condition built by the caller with the context's params, ANDed with a rule.
    /// Returns an empty list when the rule is locked and the requester is not a superuser (used by expand).
    /// </summary>
    public static async Task<List<Record>> FetchAsync(Project project, DbConnection conn, DbTransaction? tx, Collection c, string? rule,
        RequestInfo request, Func<RecordQueryContext, string> condition, int limit, CancellationToken ct)
    {
        var ctx = NewContext(project, c, request, clientFilter: false);
        var where = condition(ctx);
        string? ruleSql;
        try { ruleSql = RuleSql.Condition(rule, ctx); }
        catch (Common.ApiError) { return []; }
        var sql = BuildSelect(project, c, ctx, where, ruleSql, orderBy: null, limit: limit);
        await using var cmd = project.Database.Command(conn, tx, sql, ctx.Params);
        return await RecordSql.ReadAllAsync(c, cmd, ct);
    }

    public static RecordQueryContext NewContext(Project project, Collection c, RequestInfo request, bool clientFilter, Data.SqlParams? parameters = null) => new()
    {
        Collection = c,
        Collections = project.Collections,
        Dialect = project.Dialect,
        Params = parameters ?? new Data.SqlParams(),
        Clock = project.Time,
        Request = request,
        AllowRequestAndCollection = !clientFilter || request.IsSuperuser,
        AllowHiddenFields = !clientFilter || request.IsSuperuser,
    };

    /// <summary>SELECT list FROM table AS t joins WHERE conditions [ORDER BY] [LIMIT].</summary>
    public static string BuildSelect(Project project, Collection c, RecordQueryContext ctx, params string?[] conditions) =>
        BuildSelect(project, c, ctx, conditions, orderBy: null, limit: null);

    public static string BuildSelect(Project project, Collection c, RecordQueryContext ctx, string? where, string? ruleSql, string? orderBy, int? limit) =>
        BuildSelect(project, c, ctx, [where, ruleSql], orderBy, limit);

    private static string BuildSelect(Project project, Collection c, RecordQueryContext ctx, string?[] conditions, string? orderBy, int? limit)
    {
        var d = project.Dialect;
        var sb = new StringBuilder("SELECT ").Append(RecordSql.SelectList(c, d)).Append(PagedList.FromWhere(d, c.Name, ctx.Joins, conditions));
        if (!string.IsNullOrEmpty(orderBy)) sb.Append(" ORDER BY ").Append(orderBy);
        if (limit is { } l) sb.Append(" LIMIT ").Append(l.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
