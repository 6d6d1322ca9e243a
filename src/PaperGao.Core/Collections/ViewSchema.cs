using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections;

/// <summary>
/// View collections: the submitted SELECT is checked, run once with LIMIT 0 to validate it and read its columns,
/// and the fields are inferred from the columns. The SQL view wraps the query and casts every column to its field's
/// storage type, so a view reads like a table on both databases.
/// </summary>
public static partial class ViewSchema
{
    public const int MaxQueryLength = 20000;

    [GeneratedRegex(@"^[\s(]*(SELECT|WITH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StartsWithSelect();

    [GeneratedRegex(@"^\w+$")]
    private static partial Regex NameRegex();

    /// <summary>Trims the query and one trailing ';'. Any other ';' (or anything that is not one SELECT) is refused.</summary>
    public static bool TryNormalize(string? query, out string normalized, out string error)
    {
        normalized = (query ?? "").Trim();
        error = "";
        if (normalized.EndsWith(';')) normalized = normalized[..^1].TrimEnd();
        if (normalized.Length == 0) { error = "The view query is required."; return false; }
        if (normalized.Length > MaxQueryLength) { error = "The view query is too long."; return false; }
        if (normalized.Contains(';', StringComparison.Ordinal)) { error = "Only one SELECT statement is allowed (no ';')."; return false; }
        if (!StartsWithSelect().IsMatch(normalized)) { error = "The view query must be a SELECT statement."; return false; }
        return true;
    }

    /// <summary>The inferred fields of a query (run inside the given transaction). Throws a 400 with the error under <paramref name="errorKey"/>.</summary>
    public static async Task<List<Field>> InferFieldsAsync(ProjectDatabase db, DbTransaction tx, string query, CollectionSet all,
        Collection? previous, Func<ErrorData, ApiError> fail, string errorKey, CancellationToken ct)
    {
        var columns = new List<(string Name, ColumnKind? Kind)>();
        try
        {
            await using var cmd = db.Command(tx.Connection!, tx, $"SELECT * FROM ({query}) AS v LIMIT 0");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            for (var i = 0; i < r.FieldCount; i++)
            {
                string type;
                try { type = r.GetDataTypeName(i); }
                catch (InvalidOperationException) { type = ""; }
                columns.Add((r.GetName(i), db.Dialect.KindOfDataType(type)));
            }
        }
        catch (DbException ex)
        {
            throw Fail(fail, errorKey, "validation_invalid_view_query", "The view query is invalid: " + FirstLine(ex.Message));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, _) in columns)
        {
            if (!NameRegex().IsMatch(name) || name.Length > CollectionValidator.MaxNameLength)
                throw Fail(fail, errorKey, "validation_invalid_view_query", $"The column \"{Truncate(name)}\" needs a plain name (use AS name).");
            if (!seen.Add(name))
                throw Fail(fail, errorKey, "validation_invalid_view_query", $"The column name \"{name}\" is used more than once.");
        }
        if (!columns.Exists(c => c.Name == "id"))
            throw Fail(fail, errorKey, "validation_invalid_view_query", "The view query must return an \"id\" column.");

        // Columns the database can't type (SQLite expressions): look at a few values.
        Dictionary<string, ColumnKind>? sampled = null;
        if (columns.Exists(c => c.Kind is null && c.Name != "id"))
        {
            sampled = await SampleKindsAsync(db, tx, query, ct);
        }

        var known = KnownColumns(query, all);
        var fields = new List<Field>();
        foreach (var (name, kind) in columns)
        {
            Field f;
            if (name == "id")
            {
                var id = TextField.CreateIdField();
                // As PocketBase's view id field: no length limits or generator, the pattern stays (views are never written).
                id.Min = 0;
                id.Max = 0;
                id.AutogeneratePattern = "";
                f = id;
            }
            else if (known.TryGetValue(name, out var source))
            {
                f = source.Clone();
                f.Name = name;
                f.System = false;
                f.Id = "";
            }
            else
            {
                var k = kind ?? sampled?.GetValueOrDefault(name) ?? ColumnKind.Text;
                f = k switch
                {
                    ColumnKind.Number => new NumberField(),
                    ColumnKind.Bool => new BoolField(),
                    ColumnKind.Json or ColumnKind.JsonArray or ColumnKind.JsonObject => new JsonField(),
                    _ => new TextField(),
                };
                f.Name = name;
            }
            if (f.Id.Length == 0)
            {
                // Keep the ids of fields the view already had, so renaming nothing keeps the field ids stable.
                var prev = previous?.FindField(name);
                f.Id = prev is not null && prev.Type == f.Type ? prev.Id : FieldIds.For(f.Type, name);
            }
            fields.Add(f);
        }
        return fields;
    }

    /// <summary>CREATE VIEW over the query with every column cast to its field's storage type.</summary>
    public static string CreateViewSql(Collection view, ISqlDialect d) => $"CREATE VIEW {d.Quote(view.Name)} AS {SelectSql(view, d)}";

    /// <summary>The query with every column cast to its field's storage type (the body of the SQL view).</summary>
    public static string SelectSql(Collection view, ISqlDialect d)
    {
        var cols = string.Join(", ", view.Fields.Select(f => d.CastForView("v." + d.Quote(f.Name), f.Name == "id" ? ColumnKind.Text : f.Kind) + " AS " + d.Quote(f.Name)));
        return $"SELECT {cols} FROM ({view.ViewQuery}) AS v";
    }

    private static async Task<Dictionary<string, ColumnKind>> SampleKindsAsync(ProjectDatabase db, DbTransaction tx, string query, CancellationToken ct)
    {
        var result = new Dictionary<string, ColumnKind>(StringComparer.Ordinal);
        var numeric = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using var cmd = db.Command(tx.Connection!, tx, $"SELECT * FROM ({query}) AS v LIMIT 10");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            for (var i = 0; i < r.FieldCount; i++)
            {
                if (r.IsDBNull(i)) continue;
                var v = r.GetValue(i);
                var isNumber = v is long or int or short or double or float or decimal;
                var name = r.GetName(i);
                numeric[name] = numeric.GetValueOrDefault(name, true) && isNumber;
            }
        }
        foreach (var (name, isNumber) in numeric) result[name] = isNumber ? ColumnKind.Number : ColumnKind.Text;
        return result;
    }

    /// <summary>
    /// Result columns that are plain columns of a known collection ("[alias.]column [[AS] name]", "*" and "alias.*"),
    /// by result name. A light parse: anything it does not recognise is simply not "known".
    /// </summary>
    public static Dictionary<string, Field> KnownColumns(string query, CollectionSet all)
    {
        var result = new Dictionary<string, Field>(StringComparer.Ordinal);
        if (!TrySplitSelect(query, out var items, out var fromPart)) return result;
        var tables = new Dictionary<string, Collection>(StringComparer.OrdinalIgnoreCase);
        var tableCount = 0;
        foreach (Match m in FromRegex().Matches(fromPart))
        {
            tableCount++;
            var c = all.FindByName(Unquote(m.Groups["table"].Value));
            if (c is null) continue;
            tables[c.Name] = c;
            var alias = m.Groups["alias"].Success ? Unquote(m.Groups["alias"].Value) : "";
            if (alias.Length > 0 && !Keywords.Contains(alias)) tables[alias] = c;
        }
        Collection? single = tableCount == 1 ? tables.Values.FirstOrDefault() : null;
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item == "*")
            {
                if (single is not null) foreach (var f in single.Fields) result.TryAdd(f.Name, f);
                continue;
            }
            var m = ItemRegex().Match(item);
            if (!m.Success) continue;
            var qualifier = m.Groups["q"].Success ? Unquote(m.Groups["q"].Value) : null;
            var col = Unquote(m.Groups["col"].Value);
            var source = qualifier is null ? single : tables.GetValueOrDefault(qualifier);
            if (source is null) continue;
            if (col == "*")
            {
                foreach (var f in source.Fields) result.TryAdd(f.Name, f);
                continue;
            }
            var field = source.Fields.Find(f => string.Equals(f.Name, col, StringComparison.OrdinalIgnoreCase));
            if (field is null) continue;
            var name = m.Groups["alias"].Success ? Unquote(m.Groups["alias"].Value) : field.Name;
            result.TryAdd(name, field);
        }
        return result;
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "where", "join", "left", "right", "inner", "outer", "cross", "full", "on", "group", "order", "limit", "having", "union", "natural", "using", "offset", "window",
    };

    [GeneratedRegex("""^(?:(?<q>[`"]?\w+[`"]?)\.)?(?<col>[`"]?\w+[`"]?|\*)(?:\s+(?:AS\s+)?(?<alias>[`"]?\w+[`"]?))?$""", RegexOptions.IgnoreCase)]
    private static partial Regex ItemRegex();

    [GeneratedRegex("""(?:\bFROM|\bJOIN|,)\s+(?<table>[`"]?\w+[`"]?)(?:\s+(?:AS\s+)?(?<alias>[`"]?\w+[`"]?))?""", RegexOptions.IgnoreCase)]
    private static partial Regex FromRegex();

    /// <summary>Splits "SELECT [DISTINCT] items FROM rest" at depth 0. False for anything else (WITH, subqueries in the select list are fine).</summary>
    private static bool TrySplitSelect(string query, out List<string> items, out string fromPart)
    {
        items = [];
        fromPart = "";
        var q = query.Trim();
        if (!q.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)) return false;
        var start = 6;
        var rest = q[start..].TrimStart();
        if (rest.StartsWith("DISTINCT", StringComparison.OrdinalIgnoreCase)) start = q.Length - rest.Length + 8;
        var depth = 0;
        var sb = new StringBuilder();
        char? quote = null;
        for (var i = start; i < q.Length; i++)
        {
            var ch = q[i];
            if (quote is { } qc)
            {
                sb.Append(ch);
                if (ch == qc) quote = null;
                continue;
            }
            if (ch is '\'' or '"' or '`') { quote = ch; sb.Append(ch); continue; }
            if (ch == '(') depth++;
            if (ch == ')') depth--;
            if (depth == 0 && ch == ',') { items.Add(sb.ToString()); sb.Clear(); continue; }
            if (depth == 0 && (i == 0 || !char.IsLetterOrDigit(q[i - 1]) && q[i - 1] != '_')
                && string.Compare(q, i, "FROM", 0, 4, StringComparison.OrdinalIgnoreCase) == 0
                && (i + 4 >= q.Length || !char.IsLetterOrDigit(q[i + 4]) && q[i + 4] != '_'))
            {
                items.Add(sb.ToString());
                fromPart = q[i..];
                // Stop the table list at the first nested SELECT so subqueries don't count as tables.
                return items.Count > 0;
            }
            sb.Append(ch);
        }
        return false;
    }

    private static string Unquote(string s) => s.Trim('`', '"');

    private static ApiError Fail(Func<ErrorData, ApiError> fail, string key, string code, string text) =>
        fail(new ErrorData().Add(key, new FieldError(code, text)));

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "..." : s;

    internal static string FirstLine(string s)
    {
        var i = s.IndexOf('\n', StringComparison.Ordinal);
        var line = (i < 0 ? s : s[..i]).Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
