using System.Text;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Push;

/// <summary>
/// Turns a <see cref="PushTarget"/> into a condition on "_pushDevices" AS d: parameters only, the filter compiled by
/// the records API's compiler (as a superuser: every field may be named) into a sub-select of the matching record ids.
/// Throws <see cref="FilterException"/> for a bad filter.
/// </summary>
public static class PushRecipients
{
    /// <param name="platforms">The platforms whose devices count (those switched on and configured); none: no device.</param>
    public static (string Where, SqlParams Params) Condition(Project project, PushTarget target, IReadOnlyList<string> platforms)
    {
        var p = new SqlParams();
        var sb = new StringBuilder(platforms.Count == 0 ? "1 = 0" : $"d.\"platform\" IN ({string.Join(", ", platforms.Select(x => p.Add(x)))})");
        switch (target)
        {
            case PushToUsers u:
                sb.Append(" AND d.\"userId\" IN (").Append(string.Join(", ", u.UserIds.Select(id => p.Add(id)))).Append(')');
                if (u.CollectionId is not null) sb.Append($" AND d.\"collectionId\" = {p.Add(u.CollectionId)}");
                break;
            case PushToTopic t:
                sb.Append($" AND d.\"topics\" LIKE {p.Add("%," + EscapeLike(t.Topic) + ",%")} ESCAPE '\\'");
                break;
            case PushToFilter f:
                var c = project.Collections.FindById(f.CollectionId) ?? throw new FilterException("unknown collection");
                sb.Append($" AND d.\"collectionId\" = {p.Add(c.Id)} AND d.\"userId\" IN (").Append(MatchingIds(project, c, f.Filter, p)).Append(')');
                break;
            default:
                throw new ArgumentException("unknown target", nameof(target));
        }
        return (sb.ToString(), p);
    }

    private static string MatchingIds(Project project, Collection c, string filter, SqlParams p)
    {
        var request = new RequestInfo { IsSuperuser = true, Method = "POST", Context = "push" };
        var ctx = RuleQuery.NewContext(project, c, request, clientFilter: true, p);
        var where = FilterCompiler.CompileFilter(filter, ctx);
        var d = project.Dialect;
        return "SELECT t." + d.Quote("id") + PagedList.FromWhere(d, c.Name, ctx.Joins, where);
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
