using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;

namespace PaperGao.Core.Records;

/// <summary>SQL conditions on relation columns, single (text) or multiple (JSON array).</summary>
public static class RelationSql
{
    /// <summary>"the relation column of alias references one of these ids" (placeholders already added to the params).</summary>
    public static string ReferencesAny(ISqlDialect d, string alias, RelationField rel, IReadOnlyList<string> placeholders)
    {
        var col = alias + "." + d.Quote(rel.Name);
        var list = string.Join(", ", placeholders);
        return rel.IsMultiple
            ? $"EXISTS (SELECT 1 FROM {d.JsonEach(col)} WHERE {d.JsonEachValue} IN ({list}))"
            : $"{col} IN ({list})";
    }
}
