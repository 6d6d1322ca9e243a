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

    /// <summary>
    /// What ends a SELECT that reads rows the transaction will write back: " FOR UPDATE" on PostgreSQL, so that two
    /// concurrent read-modify-writes of one row take turns; nothing on SQLite, whose single writer already serialises them.
    /// </summary>
    string LockRowsSuffix { get; }

    /// <summary>
    /// A column expression (of the table aliased t) naming the version of a row, which every committed write of the row
    /// changes: PostgreSQL's xmin, as text. Null on SQLite, whose single writer leaves nothing to compare.
    /// </summary>
    string? RowVersion { get; }

    /// <summary>
    /// The UPDATE (…WHERE "id" = @pK) made to write only the row version <paramref name="versionParam"/> names: when the
    /// row was written (or deleted) since it was read, the statement fails with an error <see cref="IsRowChanged"/> knows,
    /// instead of writing over what it did not read. Only where <see cref="RowVersion"/> is not null.
    /// </summary>
    string UpdateIfUnchanged(string update, string versionParam);

    /// <summary>True when the exception is the failure of an <see cref="UpdateIfUnchanged"/> statement.</summary>
    bool IsRowChanged(Exception ex);

    /// <summary>A table-valued expression listing the elements of a JSON array column, as a single column named "value".</summary>
    string JsonEach(string jsonExpr);

    /// <summary>The column expression of the element produced by <see cref="JsonEach"/> (as text).</summary>
    string JsonEachValue { get; }

    /// <summary>The number of items of a JSON array expression.</summary>
    string JsonArrayLength(string jsonExpr);

    /// <summary>Extracts a JSON path (already split into validated segments) from a JSON expression as a scalar.</summary>
    string JsonExtract(string jsonExpr, IReadOnlyList<string> path);

    /// <summary>Case-insensitive LIKE operator keyword ("LIKE" on SQLite, "ILIKE" on PostgreSQL).</summary>
    string LikeOperator { get; }

    /// <summary>A boolean SQL literal.</summary>
    string BoolLiteral(bool value);

    /// <summary>
    /// True when the exception is a unique-constraint violation; names the columns when the driver says them (SQLite's
    /// message; PostgreSQL's detail, which Npgsql redacts unless the connection string asks for it) and the violated
    /// constraint (index) when the server names it (PostgreSQL; never redacted).
    /// </summary>
    bool IsUniqueViolation(Exception ex, out IReadOnlyList<string> columns, out string? constraint);

    /// <summary>
    /// True when the statement itself is at fault (a function missing or refused, a value too big, a bad cast or
    /// division, a program limit) rather than the server or the connection: answered 400, not 500.
    /// </summary>
    bool IsQueryError(Exception ex);

    /// <summary>A database error as the SQL console shows it (SQLite: "SQL logic error: near ...", as PocketBase's driver).</summary>
    string DescribeError(Exception ex);

    /// <summary>True when the exception is a foreign key / restrict violation.</summary>
    bool IsConstraintViolation(Exception ex);

    /// <summary>Adds a parameter named like "@p0" to the command.</summary>
    void AddParameter(DbCommand command, string name, object? value);

    /// <summary>An index column expression; case-insensitive columns use COLLATE NOCASE (SQLite) or LOWER() (PostgreSQL).</summary>
    string IndexColumn(string column, bool noCase);

    /// <summary>
    /// A case-insensitive (ASCII) equality of a text column and a value that the column's <see cref="IndexColumn"/>
    /// (noCase) index answers: "col = v COLLATE NOCASE" on SQLite, "LOWER(col) = LOWER(v)" on PostgreSQL. With
    /// <paramref name="nonEmpty"/> it also says "col != ''", which lets the partial "WHERE col != ''" index apply.
    /// </summary>
    string EqualsNoCase(string columnExpr, string valueSql, bool nonEmpty);

    /// <summary>SQL answering one integer: the bytes the database (SQLite: the file's pages; PostgreSQL: the current schema's tables with their indexes and TOAST) takes.</summary>
    string DatabaseSizeSql { get; }

    /// <summary>SQL that lists user tables and views of the current schema: one column "name".</summary>
    string ListTablesSql { get; }

    // ---- Filter compiler members (PaperGao.Core.Filter). Each one hides one SQL difference. ----

    /// <summary>A FROM item listing the elements of a JSON array expression as text under "&lt;alias&gt;.value" (usable after LEFT JOIN ... ON 1=1, may reference earlier FROM items).</summary>
    string JsonEachAs(string jsonExpr, string alias);

    /// <summary>A boolean expression: the JSON array expression contains the text value.</summary>
    string JsonArrayContains(string jsonArrayExpr, string valueExpr);

    /// <summary>Extracts a JSON path (validated segments) as a scalar of the requested type (SQLite: json_extract's own typed value).</summary>
    string JsonExtractAs(string jsonExpr, IReadOnlyList<string> path, Filter.FilterValueType type);

    /// <summary>Extracts a JSON path in a form that sorts by JSON value (numbers numerically).</summary>
    string JsonExtractForSort(string jsonExpr, IReadOnlyList<string> path);

    /// <summary>A whole JSON column as comparable text (SQLite: the stored text; PostgreSQL: jsonb::text).</summary>
    string JsonToText(string jsonExpr);

    /// <summary>A number expression as text (for LIKE).</summary>
    string NumberToText(string numberExpr);

    /// <summary>A boolean expression as a number 1/0 (SQLite stores booleans as 1/0 already).</summary>
    string BoolToNumber(string boolExpr);

    /// <summary>A boolean expression as text '1'/'0' (for LIKE).</summary>
    string BoolToText(string boolExpr);

    /// <summary>A text expression as a number where the text is numeric (SQLite: left to type affinity; PostgreSQL: NULL for non-numeric text, never a cast error).</summary>
    string TextToNumber(string textExpr);

    /// <summary>Null-safe equality ("IS" / "IS NOT DISTINCT FROM").</summary>
    string NullSafeEquals(string a, string b);

    /// <summary>Null-safe inequality ("IS NOT" / "IS DISTINCT FROM").</summary>
    string NullSafeNotEquals(string a, string b);

    /// <summary>Haversine distance in km (earth radius 6371) between two lon/lat points given as number expressions.</summary>
    string GeoDistance(string lonA, string latA, string lonB, string latB);

    /// <summary>
    /// SQLite-compatible strftime(format, time, modifiers...) as text, '' instead of NULL. timeExpr null = now.
    /// Literal pieces are bound through <paramref name="bind"/>. Throws <see cref="NotSupportedException"/> for formats/modifiers the database cannot express.
    /// </summary>
    string Strftime(string format, string? timeExpr, bool timeIsNumber, IReadOnlyList<string> modifiers, Func<object?, string> bind);

    /// <summary>The sort key for @rowid: insertion order where the database has one.</summary>
    string RowIdSql(string tableAlias, bool isView);

    // ---- Schema change members (PaperGao.Core.Collections DDL). ----

    /// <summary>
    /// Statements that change the storage kind of some columns while keeping the rows: <paramref name="columns"/> is the table's
    /// full column list after the change (in order), <paramref name="conversions"/> maps each changed column to an expression over
    /// the old column (from <see cref="ConvertValueSql"/>). Indexes of the table may be lost (SQLite rebuilds the table): the caller
    /// drops them before and recreates them after.
    /// </summary>
    IReadOnlyList<string> ChangeColumnKindsSql(string table, IReadOnlyList<Schema.ColumnSpec> columns, IReadOnlyDictionary<string, string> conversions);

    /// <summary>
    /// An expression converting a stored value of kind <paramref name="from"/> to kind <paramref name="to"/>
    /// (text↔JSON array, text↔number, bool→number/text, number/text→bool, anything→JSON, JSON→text).
    /// Throws <see cref="NotSupportedException"/> for other pairs.
    /// </summary>
    string ConvertValueSql(string columnExpr, ColumnKind from, ColumnKind to);

    /// <summary>Drops a view if it exists, and (PostgreSQL) the views that depend on it; SQLite does not check view dependencies.</summary>
    string DropViewSql(string view);

    /// <summary>A view result column cast to the storage type of a kind, so a view reads like a table.</summary>
    string CastForView(string expr, ColumnKind kind);

    /// <summary>The kind of a result column from its database type name (DbDataReader.GetDataTypeName); null when the name says nothing (SQLite expressions).</summary>
    ColumnKind? KindOfDataType(string dataTypeName);

    /// <summary>
    /// "ASC"/"DESC" with NULLs ordered as SQLite does (NULL first ascending, last descending). For an expression that is
    /// never NULL (<paramref name="nullable"/> false: a NOT NULL column of the table) no NULLS clause is written, so a
    /// plain btree index on the column can serve the order in either direction on PostgreSQL.
    /// </summary>
    string SortDirection(bool descending, bool nullable);
}
