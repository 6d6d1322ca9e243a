using System.Data.Common;
using System.Text;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>The PostgreSQL side of every SQL difference.</summary>
public sealed class PostgresDialect : ISqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public string Name => "postgres";

    public string LockRowsSuffix => " FOR UPDATE";

    public string? RowVersion => "t.xmin::text";

    /// <summary>
    /// The UPDATE with the version in its WHERE, counting the rows it wrote: 1 / 0 fails (22012) when it wrote none. A
    /// concurrent writer's uncommitted change makes it wait; once that commits, the row's new version no longer matches.
    /// </summary>
    public string UpdateIfUnchanged(string update, string versionParam) =>
        $"WITH written AS ({update} AND xmin = {versionParam}::xid RETURNING 1) SELECT 1 / COUNT(*) FROM written";

    public bool IsRowChanged(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.DivisionByZero };

    public string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public string ColumnDefinition(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "TEXT NOT NULL DEFAULT ''",
        ColumnKind.Number => "DOUBLE PRECISION NOT NULL DEFAULT 0",
        ColumnKind.Bool => "BOOLEAN NOT NULL DEFAULT FALSE",
        ColumnKind.JsonArray => "JSONB NOT NULL DEFAULT '[]'::jsonb",
        ColumnKind.Json => "JSONB DEFAULT NULL",
        ColumnKind.JsonObject => "JSONB NOT NULL DEFAULT '{\"lon\":0,\"lat\":0}'::jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public string ZeroLiteral(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "''",
        ColumnKind.Number => "0",
        ColumnKind.Bool => "FALSE",
        ColumnKind.JsonArray => "'[]'::jsonb",
        ColumnKind.Json => "NULL",
        ColumnKind.JsonObject => "'{\"lon\":0,\"lat\":0}'::jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public object ToDbValue(ColumnKind kind, object? value) => DbValues.ToStorage(kind, value, boolAsInt: false);

    public string ParameterSql(ColumnKind kind, string parameterName) => kind switch
    {
        ColumnKind.JsonArray or ColumnKind.Json or ColumnKind.JsonObject => $"CAST({parameterName} AS jsonb)",
        _ => parameterName,
    };

    public string RandomFunction => "RANDOM()";

    public string JsonEach(string jsonExpr) =>
        $"jsonb_array_elements_text(CASE WHEN jsonb_typeof({jsonExpr}) = 'array' THEN {jsonExpr} ELSE jsonb_build_array({jsonExpr}) END) AS je(value)";

    public string JsonEachValue => "je.value";

    public string JsonArrayLength(string jsonExpr) =>
        $"(CASE WHEN jsonb_typeof({jsonExpr}) = 'array' THEN jsonb_array_length({jsonExpr}) WHEN {jsonExpr} IS NULL THEN 0 ELSE 1 END)";

    public string JsonExtract(string jsonExpr, IReadOnlyList<string> path)
    {
        var sb = new StringBuilder();
        foreach (var segment in path)
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(segment.Replace("\"", "", StringComparison.Ordinal));
        }
        return $"({jsonExpr} #>> '{{{sb}}}')";
    }

    public string LikeOperator => "ILIKE";

    public string BoolLiteral(bool value) => value ? "TRUE" : "FALSE";

    /// <summary>SQLSTATE classes 22 (data exception), 42 (syntax error or access rule), 54 (program limit), 0A (not supported).</summary>
    public bool IsQueryError(Exception ex) =>
        ex is PostgresException pe && (pe.SqlState.StartsWith("22", StringComparison.Ordinal) || pe.SqlState.StartsWith("42", StringComparison.Ordinal)
            || pe.SqlState.StartsWith("54", StringComparison.Ordinal) || pe.SqlState.StartsWith("0A", StringComparison.Ordinal));

    public string DescribeError(Exception ex) => ex is PostgresException pe ? $"{pe.MessageText} ({pe.SqlState})" : ex.Message;

    public bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns, out string? constraint)
    {
        columns = [];
        constraint = null;
        if (ex is not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pe) return false;
        constraint = string.IsNullOrEmpty(pe.ConstraintName) ? null : pe.ConstraintName;
        // Detail: Key (slug)=(abc) already exists. (Only with "Include Error Detail"; redacted by default.)
        var detail = pe.Detail ?? "";
        var open = detail.IndexOf("Key (", StringComparison.Ordinal);
        var close = open >= 0 ? detail.IndexOf(")=", open, StringComparison.Ordinal) : -1;
        if (open >= 0 && close > open)
        {
            columns = [.. detail[(open + 5)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(c => c.Trim('"'))];
        }
        return true;
    }

    public bool IsConstraintViolation(Exception ex) => ex is PostgresException pe && pe.SqlState.StartsWith("23", StringComparison.Ordinal);

    public void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    public string IndexColumn(string column, bool noCase) => noCase ? $"LOWER({Quote(column)})" : Quote(column);

    public string EqualsNoCase(string columnExpr, string valueSql, bool nonEmpty) =>
        $"LOWER({columnExpr}) = LOWER({valueSql})" + (nonEmpty ? $" AND {columnExpr} != ''" : "");

    public string DatabaseSizeSql =>
        "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm')";

    public string ListTablesSql => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()";

    // ---- Filter compiler members ----

    private static string JsonPathLiteral(IReadOnlyList<string> path)
    {
        var sb = new StringBuilder("'{");
        for (var i = 0; i < path.Count; i++)
        {
            if (i > 0) sb.Append(',');
            foreach (var ch in path[i]) if (char.IsAsciiLetterOrDigit(ch) || ch == '_') sb.Append(ch);
        }
        return sb.Append("}'").ToString();
    }

    public string JsonEachAs(string jsonExpr, string alias) =>
        $"jsonb_array_elements_text(CASE WHEN jsonb_typeof({jsonExpr}) = 'array' THEN {jsonExpr} ELSE jsonb_build_array({jsonExpr}) END) AS {alias}(value)";

    public string JsonArrayContains(string jsonArrayExpr, string valueExpr) =>
        $"EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof({jsonArrayExpr}) = 'array' THEN {jsonArrayExpr} ELSE jsonb_build_array({jsonArrayExpr}) END) AS __jc(value) WHERE __jc.value = {valueExpr})";

    public string JsonExtractAs(string jsonExpr, IReadOnlyList<string> path, Filter.FilterValueType type)
    {
        var p = JsonPathLiteral(path);
        return type switch
        {
            Filter.FilterValueType.Number =>
                $"(CASE jsonb_typeof({jsonExpr} #> {p}) WHEN 'number' THEN CAST({jsonExpr} #>> {p} AS DOUBLE PRECISION) WHEN 'boolean' THEN (CASE WHEN {jsonExpr} #>> {p} = 'true' THEN 1 ELSE 0 END) END)",
            Filter.FilterValueType.Bool =>
                $"(CASE jsonb_typeof({jsonExpr} #> {p}) WHEN 'boolean' THEN CAST({jsonExpr} #>> {p} AS BOOLEAN) WHEN 'number' THEN CAST({jsonExpr} #>> {p} AS DOUBLE PRECISION) <> 0 END)",
            _ => $"({jsonExpr} #>> {p})",
        };
    }

    public string JsonExtractForSort(string jsonExpr, IReadOnlyList<string> path) => $"({jsonExpr} #> {JsonPathLiteral(path)})";

    public string JsonToText(string jsonExpr) => $"CAST({jsonExpr} AS TEXT)";

    public string NumberToText(string numberExpr) => $"CAST({numberExpr} AS TEXT)";

    public string BoolToNumber(string boolExpr) => $"CAST({boolExpr} AS INTEGER)";

    public string BoolToText(string boolExpr) => $"CAST(CAST({boolExpr} AS INTEGER) AS TEXT)";

    // Non-numeric text becomes NULL instead of a cast error; the length bounds keep the value inside double precision.
    public string TextToNumber(string textExpr) =>
        $"(CASE WHEN {textExpr} ~ '^\\s*[-+]?([0-9]{{1,200}}(\\.[0-9]{{0,200}})?|\\.[0-9]{{1,200}})([eE][-+]?[0-9]{{1,2}})?\\s*$' THEN CAST({textExpr} AS DOUBLE PRECISION) END)";

    public string NullSafeEquals(string a, string b) => $"{a} IS NOT DISTINCT FROM {b}";

    public string NullSafeNotEquals(string a, string b) => $"{a} IS DISTINCT FROM {b}";

    public string GeoDistance(string lonA, string latA, string lonB, string latB) =>
        $"(6371 * ACOS(LEAST(1.0, GREATEST(-1.0, COS(RADIANS({latA})) * COS(RADIANS({latB})) * COS(RADIANS({lonB}) - RADIANS({lonA})) + SIN(RADIANS({latA})) * SIN(RADIANS({latB}))))))";

    // "YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z]" with valid field ranges; anything else is NULL (SQLite's strftime gives NULL too).
    private const string DateRegex = "'^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?Z?$'";

    private static string SafeTimestamp(string x) =>
        $"(CASE WHEN {x} ~ {DateRegex} THEN (CASE WHEN CAST(substr({x}, 9, 2) AS INTEGER) <= EXTRACT(DAY FROM (make_date(CAST(substr({x}, 1, 4) AS INTEGER), CAST(substr({x}, 6, 2) AS INTEGER), 1) + INTERVAL '1 month' - INTERVAL '1 day')) THEN CAST(REPLACE(REPLACE({x}, 'T', ' '), 'Z', '') AS TIMESTAMP) END) END)";

    private static readonly System.Text.RegularExpressions.Regex ShiftModifier =
        new(@"^[+-]?[0-9]{1,9}(\.[0-9]{1,9})?\s+(day|hour|minute|second|month|year)s?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    public string Strftime(string format, string? timeExpr, bool timeIsNumber, IReadOnlyList<string> modifiers, Func<object?, string> bind)
    {
        string ts;
        var mi = 0;
        if (timeExpr is null) ts = "(NOW() AT TIME ZONE 'UTC')";
        else if (timeIsNumber)
        {
            if (modifiers.Count == 0 || !string.Equals(modifiers[0].Trim(), "unixepoch", StringComparison.OrdinalIgnoreCase))
                throw new NotSupportedException("numeric time values need the 'unixepoch' modifier");
            ts = $"(CASE WHEN ABS({timeExpr}) < 100000000000 THEN (to_timestamp({timeExpr}) AT TIME ZONE 'UTC') END)";
            mi = 1;
        }
        else ts = $"(CASE WHEN {timeExpr} = 'now' THEN (NOW() AT TIME ZONE 'UTC') ELSE {SafeTimestamp(timeExpr)} END)";

        for (; mi < modifiers.Count; mi++)
        {
            var m = modifiers[mi].Trim();
            var lower = m.ToLowerInvariant();
            if (lower is "utc") continue;
            if (lower is "start of day" or "start of month" or "start of year")
            {
                ts = $"date_trunc('{lower[9..]}', {ts})";
                continue;
            }
            if (ShiftModifier.IsMatch(m))
            {
                ts = $"({ts} + CAST({bind(m)} AS INTERVAL))";
                continue;
            }
            throw new NotSupportedException($"unsupported strftime modifier '{m}'");
        }

        var parts = new List<string>();
        var literal = new StringBuilder();
        void FlushLiteral()
        {
            if (literal.Length == 0) return;
            parts.Add(bind(literal.ToString()));
            literal.Clear();
        }
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%') { literal.Append(c); continue; }
            if (i + 1 >= format.Length) throw new NotSupportedException("incomplete strftime format specifier");
            var spec = format[++i];
            if (spec == '%') { literal.Append('%'); continue; }
            FlushLiteral();
            parts.Add(spec switch
            {
                'Y' => $"to_char({ts}, 'YYYY')",
                'm' => $"to_char({ts}, 'MM')",
                'd' => $"to_char({ts}, 'DD')",
                'H' => $"to_char({ts}, 'HH24')",
                'M' => $"to_char({ts}, 'MI')",
                'S' => $"to_char({ts}, 'SS')",
                'j' => $"to_char({ts}, 'DDD')",
                'f' => $"to_char({ts}, 'SS.MS')",
                'w' => $"CAST(CAST(EXTRACT(DOW FROM {ts}) AS INTEGER) AS TEXT)",
                'W' => $"lpad(CAST(((CAST(EXTRACT(DOY FROM {ts}) AS INTEGER) - 1 + 7 - ((CAST(EXTRACT(DOW FROM {ts}) AS INTEGER) + 6) % 7)) / 7) AS TEXT), 2, '0')",
                's' => $"CAST(CAST(FLOOR(EXTRACT(EPOCH FROM {ts})) AS BIGINT) AS TEXT)",
                _ => throw new NotSupportedException($"unsupported strftime format specifier '%{spec}'"),
            });
        }
        FlushLiteral();
        if (parts.Count == 0) parts.Add("''");
        return $"(CASE WHEN {ts} IS NULL THEN '' ELSE ({string.Join(" || ", parts)}) END)";
    }

    public string RowIdSql(string tableAlias, bool isView) => isView ? $"{tableAlias}.\"id\"" : $"{tableAlias}.ctid";

    // ---- Schema change members ----

    /// <summary>ALTER COLUMN ... TYPE ... USING per changed column, with the default and NOT NULL of the new kind.</summary>
    public IReadOnlyList<string> ChangeColumnKindsSql(string table, IReadOnlyList<Schema.ColumnSpec> columns, IReadOnlyDictionary<string, string> conversions)
    {
        var list = new List<string>();
        foreach (var c in columns)
        {
            if (!conversions.TryGetValue(c.Name, out var expr)) continue;
            var t = Quote(table);
            var col = Quote(c.Name);
            list.Add($"ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT");
            list.Add($"ALTER TABLE {t} ALTER COLUMN {col} DROP NOT NULL");
            list.Add($"ALTER TABLE {t} ALTER COLUMN {col} TYPE {TypeOf(c.Kind)} USING {expr}");
            if (c.Kind != ColumnKind.Json)
            {
                list.Add($"ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {ZeroLiteral(c.Kind)}");
                list.Add($"ALTER TABLE {t} ALTER COLUMN {col} SET NOT NULL");
            }
        }
        return list;
    }

    private static string TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "TEXT",
        ColumnKind.Number => "DOUBLE PRECISION",
        ColumnKind.Bool => "BOOLEAN",
        _ => "JSONB",
    };

    public string ConvertValueSql(string c, ColumnKind from, ColumnKind to) => (from, to) switch
    {
        _ when from == to => c,
        (ColumnKind.Text, ColumnKind.JsonArray) => $"(CASE WHEN {c} IS NULL OR {c} = '' THEN '[]'::jsonb ELSE jsonb_build_array({c}) END)",
        (ColumnKind.JsonArray, ColumnKind.Text) => $"COALESCE(CASE WHEN jsonb_typeof({c}) = 'array' THEN {c} ->> -1 ELSE {c} #>> '{{}}' END, '')",
        (ColumnKind.Text, ColumnKind.Number) => $"(CASE WHEN btrim(COALESCE({c}, '')) = '' THEN 0 ELSE CAST(btrim({c}) AS DOUBLE PRECISION) END)",
        (ColumnKind.Number, ColumnKind.Text) => $"COALESCE(CAST({c} AS TEXT), '')",
        (ColumnKind.Bool, ColumnKind.Number) => $"(CASE WHEN {c} THEN 1 ELSE 0 END)",
        (ColumnKind.Bool, ColumnKind.Text) => $"(CASE WHEN {c} THEN 'true' ELSE 'false' END)",
        (ColumnKind.Number, ColumnKind.Bool) => $"({c} <> 0)",
        (ColumnKind.Text, ColumnKind.Bool) => $"(lower(btrim({c})) IN ('1', 'true'))",
        (ColumnKind.Text, ColumnKind.Json) => $"(CASE WHEN {c} IS NULL OR {c} = '' THEN NULL ELSE to_jsonb({c}) END)",
        (ColumnKind.Number or ColumnKind.Bool, ColumnKind.Json) => $"to_jsonb({c})",
        (ColumnKind.JsonArray or ColumnKind.JsonObject, ColumnKind.Json) => c,
        (ColumnKind.Json, ColumnKind.Text) => $"COALESCE(CASE WHEN jsonb_typeof({c}) = 'string' THEN {c} #>> '{{}}' ELSE CAST({c} AS TEXT) END, '')",
        _ => throw new NotSupportedException($"No conversion from {from} to {to}."),
    };

    /// <summary>CASCADE: views over this view are dropped too (the caller recreates every collection view).</summary>
    public string DropViewSql(string view) => $"DROP VIEW IF EXISTS {Quote(view)} CASCADE";

    public string CastForView(string expr, ColumnKind kind) => kind switch
    {
        ColumnKind.Text => $"CAST({expr} AS TEXT)",
        ColumnKind.Number => $"CAST({expr} AS DOUBLE PRECISION)",
        ColumnKind.Bool => $"CAST({expr} AS BOOLEAN)",
        _ => $"CAST({expr} AS JSONB)",
    };

    public ColumnKind? KindOfDataType(string dataTypeName)
    {
        var t = dataTypeName.Trim().ToLowerInvariant();
        if (t.Length == 0) return null;
        if (t is "boolean" or "bool") return ColumnKind.Bool;
        if (t is "json" or "jsonb") return ColumnKind.Json;
        if (t is "smallint" or "integer" or "bigint" or "int2" or "int4" or "int8" or "real" or "float4" or "float8" or "double precision"
            || t.StartsWith("numeric", StringComparison.Ordinal) || t.StartsWith("decimal", StringComparison.Ordinal)) return ColumnKind.Number;
        return ColumnKind.Text;
    }

    // SQLite sorts NULLs as the smallest values; PostgreSQL as the largest unless told otherwise.
    public string SortDirection(bool descending, bool nullable) =>
        !nullable ? (descending ? "DESC" : "ASC") : descending ? "DESC NULLS LAST" : "ASC NULLS FIRST";
}
