using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Dashboard;

namespace PaperGao.Api.GraphiQL;

/// <summary>
/// Serves the dashboard's GraphQL explorer (graphiql/, embedded by GraphiQL.targets) at /_/graphiql/ (docs/graphql.md).
/// The page reads the dashboard's superuser session from localStorage and sends it to /api/graphql (or
/// /p/&lt;project&gt;/api/graphql); its policy allows only what GraphiQL needs: this origin's scripts, styles and
/// requests, and the data: fonts and images of GraphiQL's stylesheet.
/// </summary>
public static class GraphiQLMiddleware
{
    public const string Path = "/_/graphiql/";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseGraphiQL(this IApplicationBuilder app)
    {
        var files = new DashboardFiles(typeof(GraphiQLMiddleware).Assembly, "graphiql/");
        return app.Use((ctx, next) => InvokeAsync(ctx, next, files));
    }

    private static Task InvokeAsync(HttpContext ctx, RequestDelegate next, DashboardFiles files)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (!files.Available || !path.StartsWith(Path[..^1], StringComparison.Ordinal)) return next(ctx);
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method)) return next(ctx);
        if (path.Length == Path.Length - 1)
        {
            ctx.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            ctx.Response.Headers.Location = Path + ctx.Request.QueryString;
            return Task.CompletedTask;
        }
        if (path[Path.Length - 1] != '/') return next(ctx);

        var relative = path[Path.Length..];
        var file = files.Find(relative.Length == 0 ? "index.html" : relative);
        if (file is null && !relative.StartsWith("assets/", StringComparison.Ordinal)) file = files.Find("index.html");
        if (file is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return DashboardMiddleware.WriteAsync(ctx, file, ContentSecurityPolicy);
    }
}
