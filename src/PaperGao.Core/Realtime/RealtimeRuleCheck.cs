using System.Data.Common;
using System.Globalization;
using System.Text;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using PaperGao.Core.Rules;

namespace PaperGao.Core.Realtime;

/// <summary>
/// Decides which subscribers may see one changed record (protocol.md §6.3 steps 1-2), batched: subscribers that share
/// the rule, the filter option, the options and the superuser flag are checked with ONE query; when the compiled rule
/// depends on @request (the auth), that group is split by auth identity. The row comes from the table, or for a delete
/// from a derived table of the deleted row's values (the row is gone once the delete has committed).
/// </summary>
internal static class RealtimeRuleCheck
{
    public sealed record Target(RealtimeClient Client, Subscription Subscription, RequestInfo Request);

    public static async Task<List<Target>> AllowedAsync(Project p, DbConnection conn, Collection c, Record record, bool deleted, IReadOnlyList<Target> targets, CancellationToken ct)
    {
        var allowed = new List<Target>(targets.Count);
        foreach (var group in targets.GroupBy(t => (t.Subscription.IsCollectionWide, t.Request.IsSuperuser, t.Subscription.Filter, t.Subscription.OptionsKey)))
        {
            var rule = group.Key.IsCollectionWide ? c.ListRule : c.ViewRule;
            var filter = group.Key.Filter;
            if (!group.Key.IsSuperuser && rule is null) continue;
            if (string.IsNullOrWhiteSpace(filter) && (group.Key.IsSuperuser || rule!.Trim().Length == 0))
            {
                allowed.AddRange(group);
                continue;
            }
            var members = group.ToList();
            var first = await CheckAsync(p, conn, c, record, deleted, rule, filter, members[0].Request, ct);
            if (!first.UsesRequest)
            {
                if (first.Allowed) allowed.AddRange(members);
                continue;
            }
            foreach (var byAuth in members.GroupBy(m => m.Client.Auth.Key))
            {
                var one = byAuth.First();
                var result = ReferenceEquals(one, members[0]) ? first : await CheckAsync(p, conn, c, record, deleted, rule, filter, one.Request, ct);
                if (result.Allowed) allowed.AddRange(byAuth);
            }
        }
        return allowed;
    }

    private static async Task<(bool Allowed, bool UsesRequest)> CheckAsync(Project p, DbConnection conn, Collection c, Record record, bool deleted,
        string? rule, string filter, RequestInfo req, CancellationToken ct)
    {
        var d = p.Dialect;
        var ruleCtx = RuleQuery.NewContext(p, c, req, clientFilter: false);
        var filterCtx = RuleQuery.NewContext(p, c, req, clientFilter: true, ruleCtx.Params);
        string? ruleSql;
        string? filterSql = null;
        try
        {
            ruleSql = RuleSql.Condition(rule, ruleCtx);
            if (!string.IsNullOrWhiteSpace(filter)) filterSql = FilterCompiler.CompileFilter(filter, filterCtx);
        }
        catch (Exception ex) when (ex is FilterException or Common.ApiError)
        {
            // A filter the subscriber may not use (or that does not compile) denies: fail closed.
            return (false, true);
        }
        var usesRequest = ruleCtx.Dependencies.UsesRequest || filterCtx.Dependencies.UsesRequest;
        var source = deleted ? DerivedRow(d, record, ruleCtx.Params) : d.Quote(c.Name);
        var sql = "SELECT COUNT(*)" + PagedList.FromSourceWhere(source, ruleCtx.Joins.Concat(filterCtx.Joins),
            $"t.{d.Quote("id")} = {ruleCtx.Params.Add(record.Id)}", ruleSql, filterSql);
        try
        {
            var count = await p.Database.ScalarAsync(conn, null, sql, ruleCtx.Params, ct);
            return (Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0, usesRequest);
        }
        catch (DbException)
        {
            // A rule the derived row cannot answer (or a schema that changed meanwhile) denies.
            return (false, usesRequest);
        }
    }

    /// <summary>(SELECT CAST(@a AS type) AS "id", ...): the deleted row as a one-row table with the collection's columns.</summary>
    public static string DerivedRow(Data.ISqlDialect d, Record record, Data.SqlParams prm)
    {
        var sb = new StringBuilder("(SELECT ");
        var first = true;
        foreach (var f in record.Collection.Fields)
        {
            if (!first) sb.Append(", ");
            first = false;
            var ph = prm.Add(d.ToDbValue(f.Kind, record.Values.GetValueOrDefault(f.Name)));
            sb.Append(d.CastForView(d.ParameterSql(f.Kind, ph), f.Kind)).Append(" AS ").Append(d.Quote(f.Name));
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Rebuilds a record from stored values (a delete announced by another node) through the same derived row.</summary>
    public static async Task<Record?> ReadDerivedAsync(Project p, DbConnection conn, Collection c, IReadOnlyDictionary<string, object?> values, CancellationToken ct)
    {
        var d = p.Dialect;
        var prm = new Data.SqlParams();
        var sb = new StringBuilder("SELECT ").Append(RecordSql.SelectList(c, d)).Append(" FROM (SELECT ");
        var first = true;
        foreach (var f in c.Fields)
        {
            if (!first) sb.Append(", ");
            first = false;
            var ph = prm.Add(values.TryGetValue(f.Name, out var v) ? v ?? DBNull.Value : d.ToDbValue(f.Kind, f.ZeroValue));
            sb.Append(d.CastForView(d.ParameterSql(f.Kind, ph), f.Kind)).Append(" AS ").Append(d.Quote(f.Name));
        }
        sb.Append(") AS t");
        await using var cmd = p.Database.Command(conn, null, sb.ToString(), prm);
        var rows = await RecordSql.ReadAllAsync(c, cmd, ct);
        return rows.Count > 0 ? rows[0] : null;
    }
}
