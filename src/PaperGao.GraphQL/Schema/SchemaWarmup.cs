using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Telemetry;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// Builds the schema of a small made-up collection set (an auth collection and a base collection with every field type,
/// single and multiple relations, a back-relation) for a superuser and for the public, once per process, so that the
/// first real build after a start does not pay for loading and compiling GraphQL.NET's and the generator's code, then
/// runs "{ __typename }" on it for the executor's first use (docs/graphql.md, "Performance"). Nothing is cached: the
/// made-up set and its schemas are dropped.
/// </summary>
public static class SchemaWarmup
{
    private static int _done;

    /// <summary>Runs the warm-up the first time it is called in the process; later calls return at once.</summary>
    public static void Run()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        Warm();
    }

    /// <summary>The warm-up itself, on every call (<see cref="Run"/> does it once). Throws when the query fails.</summary>
    public static void Warm()
    {
        var set = new CollectionSet(MakeCollections(), -1);
        global::GraphQL.Types.ISchema schema;
        using (PaperGaoMetrics.TimeGraphQLSchemaBuild("warmup"))
        {
            schema = SchemaBuilder.Build(set, GraphQLAccess.For(true));
            SchemaBuilder.Build(set, GraphQLAccess.For(false));
        }
        // The executor's first use too (parser, validation, execution, serializer): a request would pay for it otherwise.
        GraphQLExecutor.WarmUpAsync(schema).GetAwaiter().GetResult();
    }

    private static List<Collection> MakeCollections()
    {
        var users = CollectionScaffolds.Create(CollectionType.Auth, "warmup_users");
        users.Id = CollectionScaffolds.CollectionId(CollectionType.Auth, users.Name);
        users.ListRule = users.ViewRule = "id = @request.auth.id";
        users.Fields.Add(Field("text", "name"));
        var items = CollectionScaffolds.Create(CollectionType.Base, "warmup_items");
        items.Id = CollectionScaffolds.CollectionId(CollectionType.Base, items.Name);
        items.ListRule = items.ViewRule = items.CreateRule = items.UpdateRule = items.DeleteRule = "";
        foreach (var type in FieldRegistry.Types)
        {
            if (type is "relation" or "password") continue;
            items.Fields.Add(Field(type, "f_" + type));
        }
        items.Fields.Add(Field("number", "whole", f => ((NumberField)f).OnlyInt = true));
        items.Fields.Add(Field("select", "many", f => { ((SelectField)f).Values = ["a", "b"]; ((SelectField)f).MaxSelect = 2; }));
        items.Fields.Add(Field("file", "files", f => { ((FileField)f).MaxSelect = 3; ((FileField)f).Protected = true; }));
        items.Fields.Add(Field("relation", "owner", f => { ((RelationField)f).CollectionId = users.Id; ((RelationField)f).MaxSelect = 1; }));
        items.Fields.Add(Field("relation", "readers", f => { ((RelationField)f).CollectionId = users.Id; ((RelationField)f).MaxSelect = 5; }));
        items.Fields.Add(Field("text", "secret", f => f.Hidden = true));
        return [users, items];
    }

    private static Field Field(string type, string name, Action<Field>? set = null)
    {
        var f = FieldRegistry.Create(type)!;
        f.Name = name;
        f.Id = FieldIds.For(type, name);
        set?.Invoke(f);
        return f;
    }
}
