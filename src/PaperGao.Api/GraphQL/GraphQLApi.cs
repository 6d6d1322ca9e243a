using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.Projects;
using PaperGao.GraphQL.Execution;

namespace PaperGao.Api.GraphQL;

/// <summary>
/// /api/graphql (and /p/{project}/api/graphql) following the GraphQL-over-HTTP spec (docs/graphql.md): GET and POST,
/// application/json and application/graphql-response+json; WebSocket upgrades speak graphql-transport-ws.
/// The caller is authenticated by the same header as REST (token or API key).
/// </summary>
public static class GraphQLApi
{
    public const string Path = "/api/graphql";
    private const string ResponseMedia = "application/graphql-response+json";

    public static IEndpointRouteBuilder MapGraphQLApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (Func<HttpContext, Task>)GetAsync).WithTags("GraphQL").WithName("GraphQLGet")
            .WithSummary("Run a GraphQL query from the query string (query, variables, operationName); a WebSocket upgrade speaks graphql-transport-ws for subscriptions.");
        app.MapPost(Path, (Func<HttpContext, Task>)HandleAsync).WithTags("GraphQL").WithName("GraphQLPost")
            .WithSummary("Run a GraphQL query or mutation ({query, variables, operationName} as application/json).");
        return app;
    }

    private static Task GetAsync(HttpContext ctx) =>
        ctx.WebSockets.IsWebSocketRequest ? GraphQLWebSocket.HandleAsync(ctx) : HandleAsync(ctx);

    private static async Task HandleAsync(HttpContext ctx)
    {
        var media = Negotiate(ctx.Request.Headers.Accept.ToString());
        if (media is null)
        {
            await WriteErrorAsync(ctx, "application/json", 406, "Accept application/graphql-response+json or application/json.");
            return;
        }
        var (request, failure) = await GraphQLHttpRequest.ReadAsync(ctx);
        if (failure is not null)
        {
            await WriteErrorAsync(ctx, media, failure.Status, failure.Message);
            return;
        }
        var project = ctx.Project();
        var rc = new GraphQLRequestContext(project, ctx.RequestInfo(), ctx.Request.PathBase.Value ?? "");
        var outcome = await GraphQLExecutor.ExecuteAsync(request!, rc, AccessFor(ctx), IntrospectionAllowed(ctx, project),
            GraphQLLimits.Default, UnexpectedErrorLog(ctx), ctx.RequestAborted);
        var status = outcome.ForcedStatus ?? (outcome.IsRequestError && media == ResponseMedia ? 400 : 200);
        if (status == 405) ctx.Response.Headers.Allow = "POST";
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = media + "; charset=utf-8";
        await GraphQLExecutor.Serializer.WriteAsync(ctx.Response.Body, outcome.Result, ctx.RequestAborted);
    }

    /// <summary>Logs a server fault inside a resolver (client mistakes never get here: GraphQLExecutor maps them to GraphQL errors).</summary>
    public static Action<Exception> UnexpectedErrorLog(HttpContext ctx)
    {
        var log = ctx.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("PaperGao.GraphQL");
        return e => log?.LogError(e, "GraphQL resolver failed on {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
    }

    /// <summary>The caller's schema variant: superuser (token or superuser key), a scoped API key, or a user/guest.</summary>
    public static GraphQLAccess AccessFor(HttpContext ctx)
    {
        if (ctx.IsSuperuser()) return GraphQLAccess.For(true);
        if (ctx.ApiKey() is { } key)
        {
            return new GraphQLAccess
            {
                Superuser = false,
                CacheKey = "key:" + key.Id + ":" + key.Updated,
                Root = (c, action) => key.ActionsOn(c.Id).Contains(action) ? ApiKeyAccess.For(key, c, action) : null,
            };
        }
        return GraphQLAccess.For(false);
    }

    /// <summary>settings.graphql.introspection: "superusers" (default), "all" or "none".</summary>
    public static bool IntrospectionAllowed(HttpContext ctx, Project project)
    {
        var mode = project.Settings.Extra["graphql"]?["introspection"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? project.Settings.Extra["graphql"]!["introspection"]!.GetValue<string>() : "superusers";
        return mode switch
        {
            "all" => true,
            "none" => false,
            _ => ctx.IsSuperuser(),
        };
    }

    /// <summary>application/graphql-response+json when asked for, application/json for it, */* or no Accept; null when neither is acceptable.</summary>
    private static string? Negotiate(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return "application/json";
        foreach (var part in accept.Split(','))
        {
            var m = part.Split(';')[0].Trim().ToLowerInvariant();
            if (m == ResponseMedia) return ResponseMedia;
            if (m is "application/json" or "*/*" or "application/*") return "application/json";
        }
        return null;
    }

    private static async Task WriteErrorAsync(HttpContext ctx, string media, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = media + "; charset=utf-8";
        var result = new global::GraphQL.ExecutionResult
        {
            Errors = [new global::GraphQL.ExecutionError(message) { Code = "BAD_REQUEST", Extensions = new Dictionary<string, object?> { ["status"] = status } }],
            Executed = false,
        };
        await GraphQLExecutor.Serializer.WriteAsync(ctx.Response.Body, result, ctx.RequestAborted);
    }
}
