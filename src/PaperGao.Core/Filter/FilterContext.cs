using PaperGao.Core.Data;

namespace PaperGao.Core.Filter;

/// <summary>
/// What the filter compiler needs to turn a filter, rule or sort into SQL for one statement, whatever its fields are:
/// the dialect, the statement's parameters, the main table's alias, the joins the compiler adds and what the SQL came to
/// depend on. The fields themselves come from the subclass, through the field resolver it makes
/// (<c>Records.RecordQueryContext</c> for records: fields, relations, @request and @collection;
/// <see cref="ColumnFilterContext"/> for a fixed table such as the logs or the collections list).
/// The main table is FROM "&lt;table&gt;" AS <see cref="TableAlias"/>; the caller appends <see cref="Joins"/> after FROM.
/// </summary>
public abstract class FilterContext
{
    public required ISqlDialect Dialect { get; init; }

    /// <summary>Shared by the whole statement.</summary>
    public required SqlParams Params { get; init; }

    /// <summary>The main table alias (trusted, chosen by the caller).</summary>
    public string TableAlias { get; init; } = "t";

    /// <summary>LEFT JOIN clauses the compiler needed (single-valued relation paths); the caller puts them after FROM. Aliases are derived from the path, so equal joins have equal text.</summary>
    public List<string> Joins { get; } = [];

    /// <summary>
    /// Set while compiling when the SQL came to depend on the request (@request.*) or the clock (datetime macros):
    /// such SQL must not be reused for another request. Shared with nested rule compilations.
    /// </summary>
    public CompileDependencies Dependencies { get; init; } = new();

    /// <summary>
    /// The clock the datetime macros (@now, @todayStart, ...) read: the server's TimeProvider (the project's
    /// <c>Project.Time</c>), so a test that moves the server's clock moves them too.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The resolver of this context's fields for one compilation (it may keep state for it, such as joins made).</summary>
    internal abstract IFieldResolver CreateResolver(SqlExprCompiler compiler);
}

/// <summary>What a compiled filter depended on besides its own text and the schema.</summary>
public sealed class CompileDependencies
{
    public bool UsesRequest { get; set; }
    public bool UsesClock { get; set; }
    public bool IsConstant => !UsesRequest && !UsesClock;
}
