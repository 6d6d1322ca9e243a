namespace PaperGao.Core.Filter;

/// <summary>
/// The seam between the filter compiler and what a filter talks about: the compiler handles the language (literals,
/// datetime macros, functions, operators, match-all semantics, sort) and asks the resolver for every other identifier.
/// Records resolve field paths through relations, @request.* and @collection.* (<c>Records.RecordFieldResolver</c>);
/// a fixed table resolves its columns (<see cref="ColumnFilterContext"/>).
/// </summary>
internal interface IFieldResolver
{
    /// <summary>True when the source has a field of that exact name (a field named null, true or false shadows the literal).</summary>
    bool HasField(string name);

    /// <summary>
    /// An identifier that is not a literal keyword or a datetime macro: a field path (with an optional :modifier) or a
    /// special identifier the source knows. Throws <see cref="FilterException"/> for anything it does not know.
    /// </summary>
    Resolved ResolveIdentifier(string name, QueryScope scope);

    /// <summary>The SQL of the @rowid sort key (without direction).</summary>
    string RowIdSql();
}
