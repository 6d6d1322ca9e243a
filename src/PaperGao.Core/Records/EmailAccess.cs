using System.Data.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// Marks the auth records whose email the requester sees whatever their emailVisibility says: the requester's own
/// record and the records the collection's manageRule lets the requester manage (one query per collection and
/// chunk). Expanded records are marked the same way, with the same requester, so managing one user never shows the
/// emails of the users it relates to (PocketBase resolves these flags per fetched collection too).
/// </summary>
public static class EmailAccess
{
    private const int Chunk = 500;

    /// <summary>True when the records of this collection need <see cref="MarkAsync"/> for this requester.</summary>
    public static bool NeedsMarking(Collections.Collection c, RequestInfo req) =>
        c.IsAuth && !req.IsSuperuser && req.Auth is not null;

    /// <summary>True when marking needs a query (a manageRule to evaluate), not only the requester's own id.</summary>
    public static bool NeedsQuery(Collections.Collection c, RequestInfo req) =>
        NeedsMarking(c, req) && !string.IsNullOrWhiteSpace(c.Auth?.ManageRule);

    public static async Task MarkAsync(Project project, DbConnection conn, DbTransaction? tx, IReadOnlyList<Record> records, RequestInfo req, CancellationToken ct)
    {
        if (records.Count == 0 || req.IsSuperuser || req.Auth is null) return;
        foreach (var group in records.GroupBy(r => r.Collection))
        {
            var c = group.Key;
            if (!NeedsMarking(c, req)) continue;
            foreach (var r in group)
            {
                if (r.Id == req.Auth.Id && req.Auth.Collection.Id == c.Id) r.EmailShown = true;
            }
            if (!NeedsQuery(c, req)) continue;
            var managed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in group.Where(r => !r.EmailShown).Select(r => r.Id).Distinct(StringComparer.Ordinal).Chunk(Chunk))
            {
                var rows = await RuleQuery.FetchAsync(project, conn, tx, c, c.Auth!.ManageRule, req,
                    ctx => $"t.{ctx.Dialect.Quote("id")} IN ({string.Join(", ", chunk.Select(id => ctx.Params.Add(id)))})", chunk.Length, ct);
                foreach (var row in rows) managed.Add(row.Id);
            }
            foreach (var r in group)
            {
                if (managed.Contains(r.Id)) r.EmailShown = true;
            }
        }
    }
}
