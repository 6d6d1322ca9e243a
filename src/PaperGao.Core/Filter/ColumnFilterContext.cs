using PaperGao.Core.Data;

namespace PaperGao.Core.Filter;

/// <summary>A column of a <see cref="ColumnFilterContext"/>: its name (as filters write it and as the table has it) and how it is stored.</summary>
public readonly record struct FilterColumn(string Name, ColumnKind Kind);

/// <summary>
/// A filter or sort over a fixed table that is not a collection (the logs, the collections list): its columns by name,
/// JSON columns with paths into them ("data.status"), the filter language's literals, macros and functions, and nothing
/// else (no relations, @request.* or @collection.*: unknown identifiers, as PocketBase's simple field resolver has
/// them). Every column but a JSON one is read as NOT NULL.
/// </summary>
public sealed class ColumnFilterContext : FilterContext
{
    public required IReadOnlyList<FilterColumn> Columns { get; init; }

    internal override IFieldResolver CreateResolver(SqlExprCompiler compiler) => new Resolver(this, compiler);

    private FilterColumn? Find(string name)
    {
        foreach (var c in Columns)
        {
            if (string.Equals(c.Name, name, StringComparison.Ordinal)) return c;
        }
        return null;
    }

    private sealed class Resolver(ColumnFilterContext ctx, SqlExprCompiler compiler) : IFieldResolver
    {
        public bool HasField(string name) => ctx.Find(name) is not null;

        public string RowIdSql() => ctx.Dialect.RowIdSql(ctx.TableAlias, isView: false);

        public Resolved ResolveIdentifier(string name, QueryScope scope)
        {
            if (name[0] is '@' or '#') throw SqlExprCompiler.UnknownIdentifier(name);
            var (segs, mod) = SqlExprCompiler.SplitPath(name);
            var column = ctx.Find(segs[0]) ?? throw SqlExprCompiler.UnknownField(segs[0]);
            var source = new SqlExprCompiler.Source(ctx.TableAlias, InMulti: false, NeedsAll: false);
            if (segs.Length == 1)
                return compiler.Column(source, column.Name, column.Kind, multiple: column.Kind == ColumnKind.JsonArray, notNull: column.Kind != ColumnKind.Json, guard: null, mod, scope);
            if (column.Kind is ColumnKind.Json or ColumnKind.JsonObject) return compiler.JsonPath(source, column.Name, segs[1..], mod);
            throw new FilterException($"invalid field path: '{segs[0]}' has no sub-fields");
        }
    }
}
