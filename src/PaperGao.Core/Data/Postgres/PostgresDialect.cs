using System.Data.Common;
using System.Text;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>The PostgreSQL side of every SQL difference.</summary>
public sealed class PostgresDialect : ISqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public string Name => "postgres";

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

    public bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns)
    {
        columns = [];
        if (ex is not PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pe) return false;
        // Detail: Key (slug)=(abc) already exists.
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

    public string ListTablesSql => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()";
}
