using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Data.Schema;

/// <summary>How a <see cref="DataCheck"/> decides which rows block a change.</summary>
public enum DataCheckKind
{
    /// <summary><see cref="DataCheck.Sql"/> is a SELECT COUNT(*) of the blocking rows.</summary>
    Count,

    /// <summary><see cref="DataCheck.Sql"/> selects one text column; every non-numeric value blocks (text → number).</summary>
    NumericText,
}

/// <summary>A check run against the current rows before a schema change; blocking rows make the change a 400.</summary>
public sealed record DataCheck(int FieldIndex, string FieldName, string OptionKey, DataCheckKind Kind, string Sql, string Problem);

/// <summary>The DDL of one collection change: checks to run first, then statements in order.</summary>
public sealed class SchemaPlan
{
    public List<DataCheck> Checks { get; } = [];
    public List<string> Statements { get; } = [];

    /// <summary>True when the plan alters an existing table (views over it must be dropped and recreated around it).</summary>
    public bool AltersExistingTable { get; set; }
}

/// <summary>
/// Diffs two versions of a base/auth collection by field id into DDL that keeps the data: table rename, changed indexes
/// dropped first, removed columns dropped, renamed columns renamed, new columns added with their zero value, columns whose
/// storage kind changed converted (refused when rows hold values the conversion would lose), then new/changed indexes created.
/// Pure: the SQL comes from the dialect.
/// </summary>
public static class SchemaPlanner
{
    public static SchemaPlan PlanCreate(Collection c, ISqlDialect d)
    {
        var plan = new SchemaPlan();
        plan.Statements.AddRange(TableSchema.CreateTable(c, d));
        return plan;
    }

    public static SchemaPlan PlanUpdate(Collection old, Collection now, ISqlDialect d)
    {
        var plan = new SchemaPlan();
        var oldTable = d.Quote(old.Name);
        var table = d.Quote(now.Name);

        // ---- Checks run on the table as it is now (old names). ----
        var conversions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < now.Fields.Count; i++)
        {
            var f = now.Fields[i];
            var before = old.FindFieldById(f.Id);
            if (before is null) continue;
            var oldCol = d.Quote(before.Name);
            if (before.Kind != f.Kind)
            {
                var check = KindChangeCheck(i, f, before, oldTable, oldCol, d, out var convert);
                if (check is not null) plan.Checks.Add(check);
                conversions[f.Name] = convert(d.Quote(f.Name));
            }
            else if (f.Kind == ColumnKind.JsonArray && MaxSelectOf(f) is { } max && MaxSelectOf(before) is { } oldMax && max < oldMax)
            {
                plan.Checks.Add(new DataCheck(i, f.Name, "maxSelect", DataCheckKind.Count,
                    $"SELECT COUNT(*) FROM {oldTable} WHERE {d.JsonArrayLength(oldCol)} > {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    $"hold more than {max} values"));
            }
        }

        // ---- Statements. ----
        if (!string.Equals(old.Name, now.Name, StringComparison.Ordinal))
        {
            plan.Statements.Add($"ALTER TABLE {oldTable} RENAME TO {table}");
        }

        var oldIndexes = ParseIndexes(old);
        var newIndexes = ParseIndexes(now);
        var rebuild = conversions.Count > 0;
        var keptIndexes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, oi) in oldIndexes)
        {
            var unchanged = !rebuild && newIndexes.TryGetValue(name, out var ni) && ni.ToText("") == oi.ToText("")
                            && oi.Columns.All(col => ColumnUnchanged(old, now, col.Column))
                            && (oi.WhereNotEmptyColumn is null || ColumnUnchanged(old, now, oi.WhereNotEmptyColumn));
            if (unchanged) keptIndexes.Add(name);
            else plan.Statements.Add($"DROP INDEX IF EXISTS {d.Quote(name)}");
        }

        foreach (var before in old.Fields)
        {
            if (now.FindFieldById(before.Id) is null) plan.Statements.Add($"ALTER TABLE {table} DROP COLUMN {d.Quote(before.Name)}");
        }

        var renames = now.Fields
            .Select(f => (Field: f, Before: old.FindFieldById(f.Id)))
            .Where(x => x.Before is not null && !string.Equals(x.Before.Name, x.Field.Name, StringComparison.Ordinal))
            .ToList();
        if (renames.Count > 0)
        {
            // Two steps through temporary names, so swaps (a→b, b→a) and case-only renames work.
            var twoStep = renames.Count > 1 || renames.Any(r => string.Equals(r.Before!.Name, r.Field.Name, StringComparison.OrdinalIgnoreCase)
                || old.Fields.Any(o => string.Equals(o.Name, r.Field.Name, StringComparison.OrdinalIgnoreCase)));
            if (twoStep)
            {
                foreach (var (f, before) in renames)
                    plan.Statements.Add($"ALTER TABLE {table} RENAME COLUMN {d.Quote(before!.Name)} TO {d.Quote("_pg_tmp_" + f.Id)}");
                foreach (var (f, _) in renames)
                    plan.Statements.Add($"ALTER TABLE {table} RENAME COLUMN {d.Quote("_pg_tmp_" + f.Id)} TO {d.Quote(f.Name)}");
            }
            else
            {
                foreach (var (f, before) in renames)
                    plan.Statements.Add($"ALTER TABLE {table} RENAME COLUMN {d.Quote(before!.Name)} TO {d.Quote(f.Name)}");
            }
        }

        foreach (var f in now.Fields)
        {
            if (old.FindFieldById(f.Id) is null) plan.Statements.Add($"ALTER TABLE {table} ADD COLUMN {d.Quote(f.Name)} {d.ColumnDefinition(f.Kind)}");
        }

        if (rebuild) plan.Statements.AddRange(d.ChangeColumnKindsSql(now.Name, Columns(now), conversions));

        foreach (var (name, ni) in newIndexes)
        {
            if (!keptIndexes.Contains(name)) plan.Statements.Add(ni.ToSql(d, now.Name));
        }

        plan.AltersExistingTable = plan.Statements.Count > 0;
        return plan;
    }

    /// <summary>The columns of a collection's table, in field order.</summary>
    public static IReadOnlyList<ColumnSpec> Columns(Collection c) =>
        [.. c.Fields.Select(f => new ColumnSpec(f.Name, f.Name == "id" ? ColumnKind.Text : f.Kind, f.Name == "id"))];

    private static bool ColumnUnchanged(Collection old, Collection now, string column)
    {
        var before = old.Fields.Find(f => string.Equals(f.Name, column, StringComparison.OrdinalIgnoreCase));
        if (before is null) return false;
        var after = now.FindFieldById(before.Id);
        return after is not null && string.Equals(after.Name, before.Name, StringComparison.Ordinal) && after.Kind == before.Kind;
    }

    private static DataCheck? KindChangeCheck(int index, Field f, Field before, string oldTable, string oldCol, ISqlDialect d, out Func<string, string> convert)
    {
        var from = before.Kind;
        var to = f.Kind;
        string? supported;
        try { supported = d.ConvertValueSql(oldCol, from, to); }
        catch (NotSupportedException) { supported = null; }
        if (supported is null)
        {
            // No conversion: allowed only while no row holds a value (the column becomes the zero value).
            convert = _ => d.ZeroLiteral(to);
            var notZero = from == ColumnKind.Json ? $"{oldCol} IS NOT NULL" : $"{oldCol} IS NOT NULL AND {oldCol} <> {d.ZeroLiteral(from)}";
            return new DataCheck(index, f.Name, "type", DataCheckKind.Count, $"SELECT COUNT(*) FROM {oldTable} WHERE {notZero}",
                $"hold values that can't be converted from {Describe(from)} to {Describe(to)}");
        }
        convert = col => d.ConvertValueSql(col, from, to);
        return (from, to) switch
        {
            (ColumnKind.Text, ColumnKind.Number) => new DataCheck(index, f.Name, "type", DataCheckKind.NumericText,
                $"SELECT {oldCol} FROM {oldTable} WHERE {oldCol} <> ''", "hold text that is not a number"),
            (ColumnKind.Text, ColumnKind.Bool) => new DataCheck(index, f.Name, "type", DataCheckKind.Count,
                $"SELECT COUNT(*) FROM {oldTable} WHERE lower(trim({oldCol})) NOT IN ('', '0', '1', 'true', 'false')", "hold text that is not a boolean"),
            (ColumnKind.Number, ColumnKind.Bool) => new DataCheck(index, f.Name, "type", DataCheckKind.Count,
                $"SELECT COUNT(*) FROM {oldTable} WHERE {oldCol} NOT IN (0, 1)", "hold numbers other than 0 and 1"),
            _ => null,
        };
    }

    private static string Describe(ColumnKind k) => k switch
    {
        ColumnKind.Text => "text",
        ColumnKind.Number => "number",
        ColumnKind.Bool => "bool",
        ColumnKind.JsonArray => "a list",
        ColumnKind.Json => "JSON",
        _ => "a geo point",
    };

    private static int? MaxSelectOf(Field f) => f switch
    {
        SelectField s => s.MaxSelect,
        RelationField r => r.MaxSelect,
        FileField fi => fi.MaxSelect,
        _ => null,
    };

    private static Dictionary<string, IndexDefinition> ParseIndexes(Collection c)
    {
        var map = new Dictionary<string, IndexDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in c.Indexes)
        {
            if (IndexDefinition.TryParse(text, out var idx, out _) && idx is not null) map[idx.Name] = idx;
        }
        return map;
    }
}
