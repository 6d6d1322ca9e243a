using GraphQL.DataLoader;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Records;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// The object type of each collection: id, collectionId, collectionName, its readable fields (RecordVisibility), its
/// relations as objects or lists and its back-relations as &lt;collection&gt;_via_&lt;field&gt; (batched per level).
/// </summary>
internal static class OutputTypes
{
    /// <summary>How many related records a list relation is assumed to hold, for the complexity limit.</summary>
    private const double BackRelationImpact = 10;

    public static void AddFields(SchemaModel m, Collection c, ObjectGraphType t)
    {
        var names = new NameScope();
        var su = m.Access.Superuser;
        Add(t, names.Claim("id"), Scalars.NonNullId, Plain(r => r.Id));
        Add(t, names.Claim("collectionId"), Scalars.NonNullString, Plain(_ => c.Id));
        Add(t, names.Claim("collectionName"), Scalars.NonNullString, Plain(_ => c.Name));
        foreach (var f in RecordVisibility.ReadableFields(c, su))
        {
            if (f.Name == "id") continue;
            var name = names.Claim(GraphQLNames.Sanitize(f.Name));
            switch (f)
            {
                case RelationField rel:
                    if (!m.Types.TryGetValue(rel.CollectionId, out var target)) continue; // the caller cannot see that collection
                    var field = AddRelation(t, name, c.Id, rel.Name, target, rel.IsMultiple);
                    if (rel.IsMultiple) field.WithComplexityImpact(1, Math.Clamp(rel.MaxSelect, 1, 1000));
                    break;
                case FileField file:
                    if (file.IsMultiple)
                        Add(t, name, new NonNullGraphType(new ListGraphType(new NonNullGraphType(m.Shared.File))), ctx => Rec(ctx).GetStrings(f.Name).Select(n => new FileRef(c, Rec(ctx).Id, file, n)).ToList());
                    else
                        Add(t, name, m.Shared.File, ctx => Rec(ctx).GetString(f.Name) is { Length: > 0 } n ? new FileRef(c, Rec(ctx).Id, file, n) : null);
                    break;
                default:
                    Add(t, name, ScalarType(m, f), ScalarResolver(c, f));
                    break;
            }
        }
        foreach (var (source, rel) in BackRelations(m, c))
        {
            var name = names.Claim(GraphQLNames.Sanitize(source.Name + "_via_" + rel.Name));
            var single = RecordExpander.IsSingleBackRelation(source, rel);
            var field = AddRelation(t, name, c.Id, source.Name + "_via_" + rel.Name, m.Types[source.Id], !single);
            if (!single) field.WithComplexityImpact(1, BackRelationImpact);
        }
    }

    /// <summary>Relations of visible collections that point at c, through fields the caller may read (in collection order).</summary>
    private static List<(Collection Source, RelationField Rel)> BackRelations(SchemaModel m, Collection c)
    {
        if (m.BackRelations is null)
        {
            // One pass over every field of the schema, instead of one per collection.
            m.BackRelations = new(StringComparer.Ordinal);
            foreach (var source in m.Collections)
            {
                foreach (var f in source.Fields)
                {
                    if (f is not RelationField rel || !RecordVisibility.IsReadable(source, rel, m.Access.Superuser)) continue;
                    if (!m.BackRelations.TryGetValue(rel.CollectionId, out var list)) m.BackRelations[rel.CollectionId] = list = [];
                    list.Add((source, rel));
                }
            }
        }
        return m.BackRelations.TryGetValue(c.Id, out var found) ? found : [];
    }

    private static FieldType AddRelation(ObjectGraphType t, string name, string collectionId, string expandKey, ObjectGraphType target, bool many)
    {
        var batchKey = collectionId + ":" + expandKey;
        IGraphType type = many ? new NonNullGraphType(new ListGraphType(new NonNullGraphType(target))) : target;
        return t.AddField(new FieldType
        {
            Name = name,
            ResolvedType = type,
            Resolver = new FuncFieldResolver<object?>(ctx =>
            {
                var rc = (GraphQLRequestContext)ctx.UserContext;
                return new Shaped(rc.Batch(batchKey).Load(Rec(ctx)), many);
            }),
        });
    }

    /// <summary>The expanded value in the shape of the field: a list field always gets a list, an object field one record or null.</summary>
    private sealed class Shaped(IDataLoaderResult<object?> inner, bool many) : IDataLoaderResult<object?>
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var value = await inner.GetResultAsync(cancellationToken);
            if (many) return value switch { Record r => new List<Record> { r }, IEnumerable<Record> list => list, _ => Array.Empty<Record>() };
            return value switch { Record r => r, IEnumerable<Record> list => list.FirstOrDefault(), _ => null };
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }

    public static IGraphType ScalarType(SchemaModel m, Field f) => f switch
    {
        NumberField { OnlyInt: true } => Scalars.NonNullInt,
        NumberField => Scalars.NonNullFloat,
        BoolField => Scalars.NonNullBoolean,
        DateField or AutodateField => Scalars.DateTime,
        JsonField => Scalars.Json,
        GeoPointField => new NonNullGraphType(m.Shared.GeoPoint),
        SelectField { IsMultiple: true } => Scalars.NonNullStringList,
        EmailField => Scalars.String, // null when the caller may not see it
        _ => Scalars.NonNullString,
    };

    /// <summary>The email depends on the request (who asks, which records it manages); every other scalar only on the record.</summary>
    private static IFieldResolver ScalarResolver(Collection c, Field f)
    {
        var name = f.Name;
        if (RecordVisibility.IsEmail(c, f))
        {
            return new FuncFieldResolver<object?>(ctx =>
            {
                // EmailShown is set by EmailAccess for the caller's own record and the ones it manages, as on REST.
                var r = Rec(ctx);
                return RecordVisibility.ShowsEmail(((GraphQLRequestContext)ctx.UserContext).Viewer, r) ? r.GetString(name) : null;
            });
        }
        return Plain(f switch
        {
            NumberField { OnlyInt: true } => r => r.Get(name) is double d ? checked((int)d) : 0,
            NumberField => r => r.Get(name) is double d ? d : 0d,
            BoolField => r => r.GetBool(name),
            DateField or AutodateField => r => r.GetString(name) is { Length: > 0 } s ? s : null,
            JsonField => r => r.Get(name),
            GeoPointField => r => r.Get(name) is GeoPoint g ? g : GeoPoint.Zero,
            SelectField { IsMultiple: true } => r => r.GetStrings(name),
            _ => r => r.Get(name) as string ?? "",
        });
    }

    private static PlainFieldResolver<Record> Plain(Func<Record, object?> read) => new(read);

    private static Record Rec(IResolveFieldContext ctx) => (Record)ctx.Source!;

    private static void Add(ObjectGraphType t, string name, IGraphType type, Func<IResolveFieldContext, object?> resolve) =>
        Add(t, name, type, new FuncFieldResolver<object?>(resolve));

    private static void Add(ObjectGraphType t, string name, IGraphType type, IFieldResolver resolver) =>
        t.AddField(new FieldType { Name = name, ResolvedType = type, Resolver = resolver });
}
