using GraphQL.Types;
using PaperGao.Core.Collections;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>What the builder shares while it generates one schema.</summary>
internal sealed class SchemaModel(CollectionSet set, GraphQLAccess access)
{
    public CollectionSet Set { get; } = set;
    public GraphQLAccess Access { get; } = access;
    public SharedTypes Shared { get; } = new();
    public NameScope TypeNames { get; } = new("Query", "Mutation", "Subscription", "JSON", "DateTime", "GeoPoint", "GeoPointInput", "File", "RecordAction",
        "String", "Int", "Float", "Boolean", "ID");

    /// <summary>The collections the caller can see, in a stable order (by name).</summary>
    public List<Collection> Collections { get; } = [];

    /// <summary>Object type per visible collection id.</summary>
    public Dictionary<string, ObjectGraphType> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Readable relation fields of the visible collections by the id of the collection they point at (OutputTypes).</summary>
    public Dictionary<string, List<(Collection Source, Core.Collections.Fields.RelationField Rel)>>? BackRelations { get; set; }
}
