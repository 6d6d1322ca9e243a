using PaperGao.Core.Collections;
using PaperGao.Core.Filter;

namespace PaperGao.Core.Records;

/// <summary>
/// A filter, rule or sort over the records of one collection: its fields, relations and back-relations, @request.* and
/// @collection.* (<see cref="RecordFieldResolver"/>). The main table is FROM "&lt;collection name&gt;" AS <see cref="FilterContext.TableAlias"/>.
/// </summary>
public sealed class RecordQueryContext : FilterContext
{
    public required Collection Collection { get; init; }
    public required CollectionSet Collections { get; init; }

    /// <summary>Values for @request.*.</summary>
    public RequestInfo Request { get; init; } = RequestInfo.Guest;

    /// <summary>
    /// False for client filter/sort of non-superusers: @request./@collection. then throw FilterException with Forbidden=true,
    /// and collections reached through relations must also pass their own listRule.
    /// </summary>
    public bool AllowRequestAndCollection { get; init; }

    /// <summary>False for client filter/sort of non-superusers: hidden fields are "unknown".</summary>
    public bool AllowHiddenFields { get; init; }

    /// <summary>Nesting level of rule compilations (a related collection's listRule compiled inside a client filter).</summary>
    internal int RuleNesting { get; init; }

    internal override IFieldResolver CreateResolver(SqlExprCompiler compiler) => new RecordFieldResolver(this, compiler);
}
