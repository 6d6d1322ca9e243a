using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Records;

namespace PaperGao.Core.Filter;

/// <summary>
/// Everything the filter compiler needs to turn a filter/rule/sort on one collection into SQL for one statement.
/// The main table is FROM "&lt;collection name&gt;" AS <see cref="TableAlias"/>; the caller appends <see cref="Joins"/> after FROM.
/// </summary>
public sealed class RecordQueryContext
{
    public required Collection Collection { get; init; }
    public required CollectionSet Collections { get; init; }
    public required ISqlDialect Dialect { get; init; }

    /// <summary>Shared by the whole statement.</summary>
    public required SqlParams Params { get; init; }

    /// <summary>The main table alias (trusted, chosen by the caller).</summary>
    public string TableAlias { get; init; } = "t";

    /// <summary>Values for @request.*.</summary>
    public RequestInfo Request { get; init; } = RequestInfo.Guest;

    /// <summary>
    /// False for client filter/sort of non-superusers: @request./@collection. then throw FilterException with Forbidden=true,
    /// and collections reached through relations must also pass their own listRule.
    /// </summary>
    public bool AllowRequestAndCollection { get; init; }

    /// <summary>False for client filter/sort of non-superusers: hidden fields are "unknown".</summary>
    public bool AllowHiddenFields { get; init; }

    /// <summary>LEFT JOIN clauses the compiler needed (single-valued relation paths); the caller puts them after FROM. Aliases are derived from the path, so equal joins have equal text.</summary>
    public List<string> Joins { get; } = [];

    /// <summary>
    /// Set while compiling when the SQL came to depend on the request (@request.*) or the clock (datetime macros):
    /// such SQL must not be reused for another request. Shared with nested rule compilations.
    /// </summary>
    public CompileDependencies Dependencies { get; init; } = new();

    /// <summary>Nesting level of rule compilations (a related collection's listRule compiled inside a client filter).</summary>
    internal int RuleNesting { get; init; }
}

/// <summary>What a compiled filter depended on besides its own text and the schema.</summary>
public sealed class CompileDependencies
{
    public bool UsesRequest { get; set; }
    public bool UsesClock { get; set; }
    public bool IsConstant => !UsesRequest && !UsesClock;
}
