using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>The SQLite side of every SQL difference.</summary>
public sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string Name => "sqlite";

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public string ColumnDefinition(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "TEXT NOT NULL DEFAULT ''",
        ColumnKind.Number => "NUMERIC NOT NULL DEFAULT 0",
        ColumnKind.Bool => "BOOLEAN NOT NULL DEFAULT FALSE",
        ColumnKind.JsonArray => "JSON NOT NULL DEFAULT '[]'",
        ColumnKind.Json => "JSON DEFAULT NULL",
        ColumnKind.JsonObject => "JSON NOT NULL DEFAULT '{\"lon\":0,\"lat\":0}'",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string ZeroLiteral(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "''",
        ColumnKind.Number => "0",
        ColumnKind.Bool => "FALSE",
        ColumnKind.JsonArray => "'[]'",
        ColumnKind.Json => "NULL",
        ColumnKind.JsonObject => "'{\"lon\":0,\"lat\":0}'",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public object ToDbValue(ColumnKind kind, object? value) => DbValues.ToStorage(kind, value, boolAsInt: true);

    public string ParameterSql(ColumnKind kind, string parameterName) => parameterName;

    public string RandomFunction => "RANDOM()";

    public string JsonEach(string jsonExpr) => $"json_each(CASE WHEN json_valid({jsonExpr}) THEN {jsonExpr} ELSE json_array({jsonExpr}) END)";

    public string JsonEachValue => "json_each.value";

    public string JsonArrayLength(string jsonExpr) => $"json_array_length(CASE WHEN json_valid({jsonExpr}) THEN {jsonExpr} ELSE (CASE WHEN {jsonExpr} = '' OR {jsonExpr} IS NULL THEN json_array() ELSE json_array({jsonExpr}) END) END)";

    public string JsonExtract(string jsonExpr, IReadOnlyList<string> path)
    {
        var sb = new StringBuilder("$");
        foreach (var segment in path)
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit)) sb.Append('[').Append(segment).Append(']');
            else sb.Append('.').Append(segment);
        }
        return $"(CASE WHEN json_valid({jsonExpr}) THEN json_extract({jsonExpr}, '{sb}') ELSE NULL END)";
    }

    public string LikeOperator => "LIKE";

    public string BoolLiteral(bool value) => value ? "1" : "0";

    public bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns)
    {
        columns = [];
        if (ex is not SqliteException { SqliteErrorCode: 19 } se || !se.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal)) return false;
        // "SQLite Error 19: 'UNIQUE constraint failed: posts.slug, posts.other'."
        var idx = se.Message.IndexOf("failed:", StringComparison.Ordinal);
        if (idx >= 0)
        {
            var list = se.Message[(idx + 7)..].Trim().TrimEnd('.', '\'').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            columns = [.. list.Select(c => c.Contains('.', StringComparison.Ordinal) ? c[(c.LastIndexOf('.') + 1)..] : c)];
        }
        return true;
    }

    public bool IsConstraintViolation(Exception ex) => ex is SqliteException { SqliteErrorCode: 19 };

    public void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public string IndexColumn(string column, bool noCase) => Quote(column) + (noCase ? " COLLATE NOCASE" : "");

    public string ListTablesSql => "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

    // ---- Filter compiler members ----

    public string JsonEachAs(string jsonExpr, string alias) =>
        $"json_each(CASE WHEN json_valid({jsonExpr}) AND json_type({jsonExpr}) = 'array' THEN {jsonExpr} ELSE json_array({jsonExpr}) END) AS {alias}";

    public string JsonArrayContains(string jsonArrayExpr, string valueExpr) =>
        $"EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid({jsonArrayExpr}) AND json_type({jsonArrayExpr}) = 'array' THEN {jsonArrayExpr} ELSE json_array({jsonArrayExpr}) END) AS __jc WHERE __jc.value = {valueExpr})";

    public string JsonExtractAs(string jsonExpr, IReadOnlyList<string> path, Filter.FilterValueType type) => JsonExtract(jsonExpr, path);

    public string JsonExtractForSort(string jsonExpr, IReadOnlyList<string> path) => JsonExtract(jsonExpr, path);

    public string JsonToText(string jsonExpr) => jsonExpr;

    public string NumberToText(string numberExpr) => numberExpr;

    public string BoolToNumber(string boolExpr) => boolExpr;

    public string BoolToText(string boolExpr) => boolExpr;

    public string TextToNumber(string textExpr) => textExpr;

    public string NullSafeEquals(string a, string b) => $"{a} IS {b}";

    public string NullSafeNotEquals(string a, string b) => $"{a} IS NOT {b}";

    public string GeoDistance(string lonA, string latA, string lonB, string latB) =>
        $"(6371 * acos(min(1.0, max(-1.0, cos(radians({latA})) * cos(radians({latB})) * cos(radians({lonB}) - radians({lonA})) + sin(radians({latA})) * sin(radians({latB}))))))";

    public string Strftime(string format, string? timeExpr, bool timeIsNumber, IReadOnlyList<string> modifiers, Func<object?, string> bind)
    {
        var sb = new StringBuilder("COALESCE(strftime(").Append(bind(format)).Append(", ").Append(timeExpr ?? bind("now"));
        foreach (var m in modifiers) sb.Append(", ").Append(bind(m));
        return sb.Append("), '')").ToString();
    }

    public string RowIdSql(string tableAlias, bool isView) => isView ? $"{tableAlias}.\"id\"" : $"{tableAlias}._rowid_";
}
