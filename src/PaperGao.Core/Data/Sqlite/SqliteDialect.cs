using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>The SQLite side of every SQL difference.</summary>
public sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public string Name => "sqlite";

    public string LockRowsSuffix => "";

    public string? RowVersion => null;

    public string UpdateIfUnchanged(string update, string versionParam) =>
        throw new NotSupportedException("SQLite has no row version: its single writer serialises updates.");

    public bool IsRowChanged(Exception ex) => false;

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

    /// <summary>SQLITE_ERROR (SQL error, missing or refused function), SQLITE_TOOBIG, SQLITE_MISMATCH, SQLITE_RANGE.</summary>
    public bool IsQueryError(Exception ex) => ex is SqliteException { SqliteErrorCode: 1 or 18 or 20 or 25 };

    public string DescribeError(Exception ex)
    {
        if (ex is not SqliteException se) return ex.Message;
        // "SQLite Error 1: 'near "invalid": syntax error'." -> "SQL logic error: near "invalid": syntax error (1)"
        var detail = se.Message;
        var open = detail.IndexOf('\'');
        var close = detail.LastIndexOf('\'');
        if (open >= 0 && close > open) detail = detail[(open + 1)..close];
        return $"{SQLitePCL.raw.sqlite3_errstr(se.SqliteErrorCode).utf8_to_string()}: {detail} ({se.SqliteErrorCode})";
    }

    public bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns, out string? constraint)
    {
        columns = [];
        constraint = null; // SQLite names the columns, not the index
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

    public string EqualsNoCase(string columnExpr, string valueSql, bool nonEmpty) =>
        $"{columnExpr} = {valueSql} COLLATE NOCASE" + (nonEmpty ? $" AND {columnExpr} != ''" : "");

    public string DatabaseSizeSql => "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";

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

    // ---- Schema change members ----

    /// <summary>SQLite cannot change a column's type: the table is rebuilt (new table, INSERT ... SELECT with the conversions keeping the rowids, drop, rename).</summary>
    public IReadOnlyList<string> ChangeColumnKindsSql(string table, IReadOnlyList<Schema.ColumnSpec> columns, IReadOnlyDictionary<string, string> conversions)
    {
        var tmp = Quote("_pg_rebuild_" + table);
        var defs = columns.Select(c => Quote(c.Name) + " " + (c.PrimaryKey ? "TEXT PRIMARY KEY NOT NULL" : ColumnDefinition(c.Kind)));
        var names = columns.Select(c => Quote(c.Name));
        var values = columns.Select(c => conversions.TryGetValue(c.Name, out var expr) ? expr : Quote(c.Name));
        return
        [
            $"DROP TABLE IF EXISTS {tmp}",
            $"CREATE TABLE {tmp} ({string.Join(", ", defs)})",
            $"INSERT INTO {tmp} (_rowid_, {string.Join(", ", names)}) SELECT _rowid_, {string.Join(", ", values)} FROM {Quote(table)} ORDER BY _rowid_",
            $"DROP TABLE {Quote(table)}",
            $"ALTER TABLE {tmp} RENAME TO {Quote(table)}",
        ];
    }

    public string ConvertValueSql(string c, ColumnKind from, ColumnKind to) => (from, to) switch
    {
        _ when from == to => c,
        (ColumnKind.Text, ColumnKind.JsonArray) => $"(CASE WHEN {c} IS NULL OR {c} = '' THEN '[]' ELSE json_array({c}) END)",
        (ColumnKind.JsonArray, ColumnKind.Text) => $"COALESCE(CASE WHEN json_valid({c}) AND json_type({c}) = 'array' THEN json_extract({c}, '$[#-1]') ELSE {c} END, '')",
        (ColumnKind.Text, ColumnKind.Number) => $"(CASE WHEN trim(COALESCE({c}, '')) = '' THEN 0 ELSE CAST(trim({c}) AS REAL) END)",
        (ColumnKind.Number, ColumnKind.Text) => $"COALESCE(CAST({c} AS TEXT), '')",
        (ColumnKind.Bool, ColumnKind.Number) => $"(CASE WHEN {c} THEN 1 ELSE 0 END)",
        (ColumnKind.Bool, ColumnKind.Text) => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
        (ColumnKind.Number, ColumnKind.Bool) => $"(CASE WHEN {c} <> 0 THEN 1 ELSE 0 END)",
        (ColumnKind.Text, ColumnKind.Bool) => $"(CASE WHEN lower(trim({c})) IN ('1', 'true') THEN 1 ELSE 0 END)",
        (ColumnKind.Text, ColumnKind.Json) => $"(CASE WHEN {c} IS NULL OR {c} = '' THEN NULL ELSE json_quote({c}) END)",
        (ColumnKind.Number, ColumnKind.Json) => $"CAST({c} AS TEXT)",
        (ColumnKind.Bool, ColumnKind.Json) => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
        (ColumnKind.JsonArray or ColumnKind.JsonObject, ColumnKind.Json) => c,
        (ColumnKind.Json, ColumnKind.Text) => $"(CASE WHEN {c} IS NULL THEN '' WHEN json_valid({c}) AND json_type({c}) = 'text' THEN json_extract({c}, '$') ELSE {c} END)",
        _ => throw new NotSupportedException($"No conversion from {from} to {to}."),
    };

    public string DropViewSql(string view) => $"DROP VIEW IF EXISTS {Quote(view)}";

    public string CastForView(string expr, ColumnKind kind) => kind switch
    {
        ColumnKind.Text => $"CAST({expr} AS TEXT)",
        ColumnKind.Number => $"CAST({expr} AS REAL)",
        _ => expr,
    };

    public ColumnKind? KindOfDataType(string dataTypeName)
    {
        var t = dataTypeName.Trim().ToUpperInvariant();
        if (t.Length == 0) return null;
        if (t.StartsWith("BOOL", StringComparison.Ordinal)) return ColumnKind.Bool;
        if (t.StartsWith("JSON", StringComparison.Ordinal)) return ColumnKind.Json;
        if (t.Contains("INT", StringComparison.Ordinal) || t.Contains("REAL", StringComparison.Ordinal) || t.Contains("FLOA", StringComparison.Ordinal)
            || t.Contains("DOUB", StringComparison.Ordinal) || t.Contains("NUM", StringComparison.Ordinal) || t.Contains("DEC", StringComparison.Ordinal)) return ColumnKind.Number;
        if (t.Contains("CHAR", StringComparison.Ordinal) || t.Contains("TEXT", StringComparison.Ordinal) || t.Contains("CLOB", StringComparison.Ordinal)) return ColumnKind.Text;
        return null;
    }

    public string SortDirection(bool descending, bool nullable) => descending ? "DESC" : "ASC";
}
