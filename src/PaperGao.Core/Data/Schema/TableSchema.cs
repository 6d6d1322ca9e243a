using PaperGao.Core.Collections;

namespace PaperGao.Core.Data.Schema;

/// <summary>Generates the DDL that makes a collection a real table, for a dialect.</summary>
public static class TableSchema
{
    /// <summary>CREATE TABLE plus its indexes (base and auth collections).</summary>
    public static IReadOnlyList<string> CreateTable(Collection c, ISqlDialect d)
    {
        var columns = new List<string>();
        foreach (var f in c.Fields)
        {
            columns.Add(f.Name == "id"
                ? $"{d.Quote("id")} TEXT PRIMARY KEY NOT NULL"
                : $"{d.Quote(f.Name)} {d.ColumnDefinition(f.Kind)}");
        }
        var statements = new List<string> { $"CREATE TABLE {d.Quote(c.Name)} ({string.Join(", ", columns)})" };
        statements.AddRange(CreateIndexes(c, d));
        return statements;
    }

    /// <summary>CREATE INDEX statements for every index of the collection (already validated).</summary>
    public static IEnumerable<string> CreateIndexes(Collection c, ISqlDialect d)
    {
        foreach (var text in c.Indexes)
        {
            if (IndexDefinition.TryParse(text, out var idx, out _) && idx is not null) yield return idx.ToSql(d, c.Name);
        }
    }
}
