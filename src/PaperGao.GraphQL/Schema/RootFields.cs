using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Validation.Complexity;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Collections;
using PaperGao.Core.Records;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// The root fields of one collection: &lt;name&gt;(id) and &lt;name&gt;List(filter, sort, page, perPage, skipTotal) on Query;
/// create&lt;Name&gt;, update&lt;Name&gt;, delete&lt;Name&gt; on Mutation. Each runs the same code as REST (RecordLister, RecordWriter)
/// with the collection the caller acts on, so rules, hooks, validation and realtime are the REST ones.
/// </summary>
internal static class RootFields
{
    public static void AddQueries(SchemaModel m, Collection c, string fieldName, ObjectGraphType type, NameScope names, ObjectGraphType query)
    {
        if (m.Access.Root(c, ApiKeyActions.View) is { } viewAs)
        {
            query.AddField(new FieldType
            {
                Name = names.Claim(fieldName),
                Description = $"One record of {c.Name} by id (null when missing or the view rule hides it).",
                ResolvedType = type,
                Arguments = new QueryArguments(new QueryArgument(Scalars.NonNullId) { Name = "id" }),
                Resolver = new FuncFieldResolver<object?>(ctx => ViewAsync(ctx, viewAs)),
            });
        }
        if (m.Access.Root(c, ApiKeyActions.List) is { } listAs)
        {
            var page = new ObjectGraphType { Name = m.TypeNames.Claim(type.Name + "ListResult"), Description = $"A page of {c.Name} records." };
            page.AddField(new FieldType { Name = "page", ResolvedType = Scalars.NonNullInt, Resolver = new PlainFieldResolver<RecordPage>(p => p.Page) });
            page.AddField(new FieldType { Name = "perPage", ResolvedType = Scalars.NonNullInt, Resolver = new PlainFieldResolver<RecordPage>(p => p.PerPage) });
            page.AddField(new FieldType { Name = "totalItems", Description = "-1 with skipTotal.", ResolvedType = Scalars.NonNullInt, Resolver = new PlainFieldResolver<RecordPage>(p => (int)Math.Min(p.TotalItems, int.MaxValue)) });
            page.AddField(new FieldType { Name = "totalPages", Description = "-1 with skipTotal.", ResolvedType = Scalars.NonNullInt, Resolver = new PlainFieldResolver<RecordPage>(p => (int)Math.Min(p.TotalPages, int.MaxValue)) });
            page.AddField(new FieldType { Name = "items", ResolvedType = new NonNullGraphType(new ListGraphType(new NonNullGraphType(type))), Resolver = new FuncFieldResolver<object?>(x => ((RecordPage)x.Source!).Items) })
                .WithComplexityImpact(1, 1);
            query.AddField(new FieldType
            {
                Name = names.Claim(fieldName + "List"),
                Description = $"A page of {c.Name} records: filter and sort in the PocketBase filter language, as on REST.",
                ResolvedType = new NonNullGraphType(page),
                Arguments = new QueryArguments(
                    new QueryArgument(Scalars.String) { Name = "filter" },
                    new QueryArgument(Scalars.String) { Name = "sort" },
                    new QueryArgument(Scalars.Int) { Name = "page" },
                    new QueryArgument(Scalars.Int) { Name = "perPage" },
                    new QueryArgument(Scalars.Boolean) { Name = "skipTotal" }),
                Resolver = new FuncFieldResolver<object?>(ctx => ListAsync(ctx, listAs)),
            }).WithComplexityImpact(ctx => new FieldComplexityResult(1, PerPage(ctx.GetArgument<int?>("perPage", null))));
        }
    }

    public static void AddMutations(SchemaModel m, Collection c, ObjectGraphType type, NameScope names, ObjectGraphType mutation)
    {
        if (c.IsView) return;
        var typeName = GraphQLNames.TypeName(c.Name);
        if (m.Access.Root(c, ApiKeyActions.Create) is { } createAs)
        {
            var input = InputTypes.Build(m, c, type.Name, update: false);
            mutation.AddField(new FieldType
            {
                Name = names.Claim("create" + typeName),
                ResolvedType = type,
                Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(input.Type)) { Name = "data" }),
                Resolver = new FuncFieldResolver<object?>(ctx => MutateAsync(ctx, rc =>
                    RecordWriter.CreateAsync(rc.Project, createAs, Body(ctx, input), rc.Request.With(method: "POST"), rc.Scope, ctx.CancellationToken))),
            });
        }
        if (m.Access.Root(c, ApiKeyActions.Update) is { } updateAs)
        {
            var input = InputTypes.Build(m, c, type.Name, update: true);
            mutation.AddField(new FieldType
            {
                Name = names.Claim("update" + typeName),
                ResolvedType = type,
                Arguments = new QueryArguments(
                    new QueryArgument(Scalars.NonNullId) { Name = "id" },
                    new QueryArgument(new NonNullGraphType(input.Type)) { Name = "data" }),
                Resolver = new FuncFieldResolver<object?>(ctx => MutateAsync(ctx, rc =>
                    RecordWriter.UpdateAsync(rc.Project, updateAs, ctx.GetArgument<string>("id"), Body(ctx, input), rc.Request.With(method: "PATCH"), rc.Scope, ctx.CancellationToken))),
            });
        }
        if (m.Access.Root(c, ApiKeyActions.Delete) is { } deleteAs)
        {
            mutation.AddField(new FieldType
            {
                Name = names.Claim("delete" + typeName),
                Description = "True when the record was deleted.",
                ResolvedType = Scalars.NonNullBoolean,
                Arguments = new QueryArguments(new QueryArgument(Scalars.NonNullId) { Name = "id" }),
                Resolver = new FuncFieldResolver<object?>(ctx => MutateAsync<object?>(ctx, async rc =>
                {
                    await RecordWriter.DeleteAsync(rc.Project, deleteAs, ctx.GetArgument<string>("id"), rc.Request.With(method: "DELETE"), rc.Scope, ctx.CancellationToken);
                    return true;
                })),
            });
        }
    }

    public static int PerPage(int? requested) => requested is null or <= 0 ? ListQuery.DefaultPerPage : Math.Min(requested.Value, ListQuery.MaxPerPage);

    private static async ValueTask<object?> ListAsync(IResolveFieldContext ctx, Collection c)
    {
        var rc = (GraphQLRequestContext)ctx.UserContext;
        var page = ctx.GetArgument<int?>("page", null) is { } p && p > 0 ? p : 1;
        var q = new ListQuery(page, PerPage(ctx.GetArgument<int?>("perPage", null)), ctx.GetArgument<string?>("sort", null) ?? "",
            ctx.GetArgument<string?>("filter", null) ?? "", ctx.GetArgument<bool?>("skipTotal", null) ?? false, "");
        var result = await rc.ReadAsync((conn, tx) => RecordLister.FetchPageAsync(rc.Project, c, q, rc.Request, conn, tx, ctx.CancellationToken), ctx.CancellationToken);
        await GraphQLEnrich.ApplyAsync(rc, result.Items);
        return result;
    }

    private static async ValueTask<object?> ViewAsync(IResolveFieldContext ctx, Collection c)
    {
        var rc = (GraphQLRequestContext)ctx.UserContext;
        var id = ctx.GetArgument<string>("id");
        var record = await rc.ReadAsync(async (conn, tx) =>
        {
            var r = await RecordLister.FetchOneAsync(rc.Project, conn, tx, c, c.ViewRule, id, rc.Request, ctx.CancellationToken);
            // A caller the auth collection's manageRule allows also sees the email (protocol.md §3.10): REST's marks.
            if (r is not null) await EmailAccess.MarkAsync(rc.Project, conn, tx, [r], rc.Request, ctx.CancellationToken);
            return r;
        }, ctx.CancellationToken);
        if (record is not null) await GraphQLEnrich.ApplyAsync(rc, [record]);
        return record;
    }

    private static async ValueTask<object?> MutateAsync<T>(IResolveFieldContext ctx, Func<GraphQLRequestContext, Task<T>> work)
    {
        var rc = (GraphQLRequestContext)ctx.UserContext;
        if (rc.MutationFailed) throw new ExecutionError("Not run: an earlier mutation of this request failed, so nothing was written.") { Code = "NOT_RUN" };
        try
        {
            var result = await work(rc);
            if (result is not Record written) return result;
            // The answer's own copy (the after-commit hooks keep the written record), answered as REST answers it: with
            // its email when the caller is or manages it, through the enrich handlers.
            var r = written.Clone();
            if (EmailAccess.NeedsQuery(r.Collection, rc.Request))
                await rc.ReadAsync(async (conn, tx) => { await EmailAccess.MarkAsync(rc.Project, conn, tx, [r], rc.Request, ctx.CancellationToken); return true; }, ctx.CancellationToken);
            await GraphQLEnrich.ApplyAsync(rc, [r]);
            return r;
        }
        catch
        {
            rc.MutationFailed = true;
            throw;
        }
    }

    /// <summary>The data argument as a REST body: GraphQL field names back to field names and modifiers.</summary>
    private static JsonObject Body(IResolveFieldContext ctx, InputTypes.Input input)
    {
        var body = new JsonObject();
        if (ctx.GetArgument<IDictionary<string, object?>>("data") is not { } data) return body;
        foreach (var (name, value) in data)
        {
            if (input.BodyKeys.TryGetValue(name, out var key)) body[key] = JsonScalar.ToNode(value);
        }
        return body;
    }
}
