using System.Data.Common;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// Expands relations and back-relations (protocol.md §2.3): related records the requester may view (the related
/// collection's viewRule, compiled into the fetch query), nested up to 6 levels. Invalid paths are ignored.
/// Back-relations are asked for as "collection_via_field" or, as PocketBase still accepts, the legacy
/// "collection(field)" (expanded under that key).
/// </summary>
public static partial class RecordExpander
{
    public const int MaxBackRelations = 1000;
    private const int Chunk = 500;

    public static async Task ExpandAsync(Project project, DbConnection conn, DbTransaction? tx, IReadOnlyList<Record> records, ExpandTree tree, RequestInfo request, CancellationToken ct)
    {
        if (tree.IsEmpty || records.Count == 0) return;
        var req = request.With(context: "expand");
        foreach (var group in records.GroupBy(r => r.Collection))
        {
            var list = group.ToList();
            foreach (var (key, subtree) in tree.Children)
            {
                var expanded = BackRelation(key) is var (sourceName, fieldName)
                    ? await ExpandBackAsync(project, conn, tx, group.Key, list, key, sourceName, fieldName, req, ct)
                    : await ExpandForwardAsync(project, conn, tx, group.Key, list, key, req, ct);
                if (expanded is null) continue;
                foreach (var r in list) r.Expand ??= new Dictionary<string, object>(StringComparer.Ordinal);
                await EmailAccess.MarkAsync(project, conn, tx, expanded, req, ct);
                if (expanded.Count > 0) await ExpandAsync(project, conn, tx, expanded, subtree, request, ct);
            }
        }
    }

    /// <summary>Returns the related records fetched (for nesting), or null when the path is not a relation.</summary>
    private static async Task<List<Record>?> ExpandForwardAsync(Project project, DbConnection conn, DbTransaction? tx, Collection c, List<Record> records, string key, RequestInfo req, CancellationToken ct)
    {
        if (c.FindField(key) is not RelationField rel) return null;
        var target = project.Collections.FindById(rel.CollectionId);
        if (target is null) return null;
        var ids = records.SelectMany(r => r.GetStrings(key)).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, Record>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var rows = await RuleQuery.FetchAsync(project, conn, tx, target, target.ViewRule, req,
                ctx => $"t.{ctx.Dialect.Quote("id")} IN ({string.Join(", ", chunk.Select(id => ctx.Params.Add(id)))})", chunk.Length, ct);
            foreach (var row in rows) found[row.Id] = row;
        }
        var fetched = new List<Record>();
        foreach (var r in records)
        {
            r.Expand ??= new Dictionary<string, object>(StringComparer.Ordinal);
            var related = r.GetStrings(key).Where(found.ContainsKey).Select(id => found[id].Clone()).ToList();
            if (related.Count == 0) continue;
            fetched.AddRange(related);
            r.Expand[key] = rel.IsMultiple ? related : related[0];
        }
        return fetched;
    }

    /// <summary>The source collection and relation field of a back-relation key ("c_via_f" or legacy "c(f)"), or null.</summary>
    public static (string Collection, string Field)? BackRelation(string key)
    {
        var legacy = LegacyBackRelation().Match(key);
        if (legacy.Success) return (legacy.Groups[1].Value, legacy.Groups[2].Value);
        var at = key.IndexOf("_via_", StringComparison.Ordinal);
        return at > 0 && at + 5 < key.Length ? (key[..at], key[(at + 5)..]) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\w+)\((\w+)\)$")]
    private static partial System.Text.RegularExpressions.Regex LegacyBackRelation();

    private static async Task<List<Record>?> ExpandBackAsync(Project project, DbConnection conn, DbTransaction? tx, Collection c, List<Record> records, string key,
        string sourceName, string fieldName, RequestInfo req, CancellationToken ct)
    {
        var source = project.Collections.Find(sourceName);
        if (source is null || source.FindField(fieldName) is not RelationField rel || rel.CollectionId != c.Id) return null;
        var unique = !rel.IsMultiple && HasUniqueIndexOn(source, rel.Name);
        var fetched = new List<Record>();
        var byParent = new Dictionary<string, List<Record>>(StringComparer.Ordinal);
        foreach (var chunk in records.Select(r => r.Id).Distinct(StringComparer.Ordinal).Chunk(Chunk))
        {
            var rows = await RuleQuery.FetchAsync(project, conn, tx, source, source.ViewRule, req,
                ctx => RelationSql.ReferencesAny(ctx.Dialect, "t", rel, chunk.Select(id => ctx.Params.Add(id)).ToList()),
                MaxBackRelations * chunk.Length, ct);
            foreach (var row in rows)
            {
                foreach (var parent in row.GetStrings(rel.Name))
                {
                    if (!byParent.TryGetValue(parent, out var l)) byParent[parent] = l = [];
                    if (l.Count < MaxBackRelations) l.Add(row.Clone());
                }
            }
        }
        foreach (var r in records)
        {
            r.Expand ??= new Dictionary<string, object>(StringComparer.Ordinal);
            if (!byParent.TryGetValue(r.Id, out var related) || related.Count == 0) continue;
            fetched.AddRange(related);
            r.Expand[key] = unique ? related[0] : related;
        }
        return fetched;
    }

    /// <summary>True when a back-relation through this single relation expands to one record (a unique index on it), as PocketBase does.</summary>
    public static bool IsSingleBackRelation(Collection source, RelationField rel) => !rel.IsMultiple && HasUniqueIndexOn(source, rel.Name);

    private static bool HasUniqueIndexOn(Collection c, string column) =>
        c.Indexes.Any(i => Data.Schema.IndexDefinition.TryParse(i, out var d, out _) && d is { Unique: true, Columns.Count: 1 } && d.Columns[0].Column == column);
}
