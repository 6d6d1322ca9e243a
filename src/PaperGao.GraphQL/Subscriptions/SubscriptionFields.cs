using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Collections;
using PaperGao.GraphQL.Execution;
using PaperGao.GraphQL.Schema;

namespace PaperGao.GraphQL.Subscriptions;

/// <summary>
/// Subscription &lt;name&gt;(filter: String): &lt;Type&gt;Event { action record } for every collection the caller may list:
/// the events the realtime API would send this subscriber for "&lt;name&gt;/*" with that filter.
/// </summary>
internal static class SubscriptionFields
{
    public static void Add(SchemaModel m, Collection c, string fieldName, ObjectGraphType type, NameScope names, ObjectGraphType subscription)
    {
        if (m.Access.Root(c, ApiKeyActions.List) is null) return;
        var evt = new ObjectGraphType { Name = m.TypeNames.Claim(type.Name + "Event"), Description = $"A change of a {c.Name} record." };
        evt.AddField(new FieldType { Name = "action", Description = "create, update or delete.", ResolvedType = Scalars.NonNullString, Resolver = new FuncFieldResolver<object?>(x => ((SubscriptionEvent)x.Source!).Action) });
        evt.AddField(new FieldType { Name = "record", ResolvedType = new NonNullGraphType(type), Resolver = new FuncFieldResolver<object?>(x => ((SubscriptionEvent)x.Source!).Record) });
        subscription.AddField(new FieldType
        {
            Name = names.Claim(fieldName),
            Description = $"Changes of {c.Name} records the caller may list, optionally filtered (WebSocket, graphql-transport-ws).",
            ResolvedType = new NonNullGraphType(evt),
            Arguments = new QueryArguments(new QueryArgument(Scalars.String) { Name = "filter" }),
            Resolver = new FuncFieldResolver<object?>(x => x.Source),
            StreamResolver = new SourceStreamResolver<object?>(x =>
            {
                var rc = (GraphQLRequestContext)x.UserContext;
                var source = rc.Subscriptions ?? throw new ExecutionError("Subscriptions use the WebSocket transport (graphql-transport-ws).");
                return source.Subscribe(c, x.GetArgument<string?>("filter", null) ?? "", rc);
            }),
        });
    }
}
