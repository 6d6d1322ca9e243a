using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Collections;
using PaperGao.Core.Projects;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>Generates the GraphQL schema of one collection set as one kind of caller sees it (docs/graphql.md).</summary>
public static class SchemaBuilder
{
    /// <summary>The weight of introspection fields in the complexity limit, relative to data fields.</summary>
    public const double IntrospectionImpact = 0.025;

    public static ISchema Build(CollectionSet set, GraphQLAccess access)
    {
        var m = new SchemaModel(set, access);
        foreach (var c in set.All.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (!IsVisible(c, access)) continue;
            m.Collections.Add(c);
            m.Types[c.Id] = new ObjectGraphType { Name = m.TypeNames.Claim(GraphQLNames.TypeName(c.Name)), Description = $"A record of the {c.Name} collection." };
        }
        foreach (var c in m.Collections) OutputTypes.AddFields(m, c, m.Types[c.Id]);

        var query = new ObjectGraphType { Name = "Query" };
        var mutation = new ObjectGraphType { Name = "Mutation" };
        var subscription = new ObjectGraphType { Name = "Subscription" };
        var queryNames = new NameScope();
        var mutationNames = new NameScope();
        var subscriptionNames = new NameScope();
        foreach (var c in m.Collections)
        {
            var fieldName = GraphQLNames.Sanitize(c.Name);
            RootFields.AddQueries(m, c, fieldName, m.Types[c.Id], queryNames, query);
            RootFields.AddMutations(m, c, m.Types[c.Id], mutationNames, mutation);
            Subscriptions.SubscriptionFields.Add(m, c, fieldName, m.Types[c.Id], subscriptionNames, subscription);
        }
        if (query.Fields.Count == 0)
        {
            // A schema needs a query field; a caller who can read nothing gets this one.
            query.AddField(new FieldType { Name = "_empty", Description = "Always null: there is nothing this caller may query.", ResolvedType = Scalars.Boolean, Resolver = new FuncFieldResolver<object?>(_ => null) });
        }
        var schema = new GeneratedSchema
        {
            Query = query,
            Mutation = mutation.Fields.Count > 0 ? mutation : null,
            Subscription = subscription.Fields.Count > 0 ? subscription : null,
        };
        // The standard introspection query (GraphiQL, code generators) weighs about 1,080,000 with the default list
        // multiplier: counted at 1/40 (about 27,000) it fits the complexity limit once, and two aliased copies do not.
        schema.WithIntrospectionComplexityImpact(IntrospectionImpact);
        schema.Initialize();
        return schema;
    }

    /// <summary>
    /// Runs GraphQL.NET's full schema validation (names, unique fields and arguments, output and input types) on a built
    /// schema; <see cref="Build"/> skips it (GeneratedSchema). For tests; throws on the first invalid schema part.
    /// </summary>
    public static void ValidateFully(ISchema schema)
    {
        global::GraphQL.Utilities.SchemaValidationVisitor.Run(schema);
        global::GraphQL.Utilities.AppliedDirectivesValidationVisitor.Run(schema);
    }

    /// <summary>A superuser sees every collection; others those with a rule that is not locked, or that their API key opens.</summary>
    private static bool IsVisible(Collection c, GraphQLAccess access)
    {
        if (access.Superuser) return true;
        if (c.Name == ProjectInitializer.SuperusersName) return false;
        return c.ListRule is not null || c.ViewRule is not null || ApiKeyActions.All.Any(a => access.Root(c, a) is not null);
    }
}
