using System.Data.Common;

namespace PaperGao.Core.Data;

/// <summary>
/// Every SQL difference between SQLite and PostgreSQL lives behind this interface.
/// Features build SQL with it and never test which database they run on.
/// </summary>
public interface ISqlDialect
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Quotes an identifier that has already been validated against the schema.</summary>
    string Quote(string identifier);

    /// <summary>The column type for a storage kind, with its NOT NULL/DEFAULT clause.</summary>
    string ColumnDefinition(ColumnKind kind);

    /// <summary>The SQL literal for the zero value of a kind (used to back-fill on schema changes).</summary>
    string ZeroLiteral(ColumnKind kind);

    /// <summary>Converts a CLR value of a field to what the driver should bind.</summary>
    object ToDbValue(ColumnKind kind, object? value);

    /// <summary>The placeholder to write in SQL for a parameter bound to a column of this kind (adds casts where needed).</summary>
    string ParameterSql(ColumnKind kind, string parameterName);

    /// <summary>SQL expression that yields a random order key.</summary>
    string RandomFunction { get; }

    /// <summary>A table-valued expression listing the elements of a JSON array column, as a single column named "value".</summary>
    string JsonEach(string jsonExpr);

    /// <summary>The number of items of a JSON array expression.</summary>
    string JsonArrayLength(string jsonExpr);

    /// <summary>Extracts a JSON path (already split into validated segments) from a JSON expression as a scalar.</summary>
    string JsonExtract(string jsonExpr, IReadOnlyList<string> path);

    /// <summary>Case-insensitive LIKE operator keyword ("LIKE" on SQLite, "ILIKE" on PostgreSQL).</summary>
    string LikeOperator { get; }

    /// <summary>A boolean SQL literal.</summary>
    string BoolLiteral(bool value);

    /// <summary>True when the exception is a unique-constraint violation; names the columns when the driver says them.</summary>
    bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns);

    /// <summary>True when the exception is a foreign key / restrict violation.</summary>
    bool IsConstraintViolation(Exception ex);

    /// <summary>Adds a parameter named like "@p0" to the command.</summary>
    void AddParameter(DbCommand command, string name, object? value);

    /// <summary>SQL that lists user tables and views of the current schema: one column "name".</summary>
    string ListTablesSql { get; }
}
