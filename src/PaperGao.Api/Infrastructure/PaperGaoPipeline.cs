using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// The middleware every request passes: the request log (Logs/RequestLogCapture), errors to the envelope, security and CORS headers, the project
/// (from "/p/{name}" or the default), and the caller's auth token.
/// </summary>
public static class PaperGaoPipeline
{
    public static void UsePaperGaoPipeline(this IApplicationBuilder app)
    {
        // Outermost, so it sees the final status (errors already answered) and the whole duration.
        Logs.RequestLogCapture.UseRequestLogCapture(app);
        app.Use(ErrorsAsync);
        app.Use(HeadersAsync);
        app.Use(ProjectAndAuthAsync);
        app.Use(Keys.ApiKeyAccess.InvokeAsync);
        app.Use(RateLimits.RateLimiting.InvokeAsync);
    }

    private static async Task ErrorsAsync(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx);
            // Framework answers without a body (405 for a known path with another method, 404 from a matched
            // endpoint that found nothing) become the JSON 404 envelope, as every unknown route is.
            if (ctx.Response.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed && !ctx.Response.HasStarted)
                await ErrorWriter.WriteAsync(ctx, ApiError.NotFound());
        }
        catch (ApiError e)
        {
            await ErrorWriter.WriteAsync(ctx, e);
        }
        catch (Exception e) when (e is Core.Data.StatementTimeoutException or Core.Data.WriteRolledBackException)
        {
            await ErrorWriter.WriteAsync(ctx, ApiError.BadRequest(e.Message));
        }
        catch (System.Data.Common.DbException e) when (ctx.Project() is { } p && p.Dialect.IsQueryError(e))
        {
            // The statement itself failed (a view calling a function that is missing or refused, a value too big, a bad
            // cast): the request is at fault, not the server. The database's text is not shown (it can name internals).
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Api")
                .LogInformation("Query failed on {Method} {Path}: {Error}", ctx.Request.Method, ctx.Request.Path, e.Message);
            await ErrorWriter.WriteAsync(ctx, ApiError.BadRequest("Something went wrong while processing your request."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorWriter.WriteAsync(ctx, ApiError.TooLarge());
        }
        catch (BadHttpRequestException e)
        {
            await ErrorWriter.WriteAsync(ctx, new ApiError(e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "Invalid request: " + e.Message));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            var log = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Api");
            log.LogError(e, "Unhandled error on {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
            await ErrorWriter.WriteAsync(ctx, new ApiError(500, "Something went wrong while processing your request."));
        }
    }

    /// <summary>The security and CORS headers every answer carries (error answers too: they are set again after a clear).</summary>
    internal static void ApplyHeaders(HttpResponse response)
    {
        var h = response.Headers;
        h["X-XSS-Protection"] = "1; mode=block";
        h["X-Content-Type-Options"] = "nosniff";
        h["X-Frame-Options"] = "SAMEORIGIN";
        h["Access-Control-Allow-Origin"] = "*";
        h["Vary"] = "Origin";
    }

    private static Task HeadersAsync(HttpContext ctx, RequestDelegate next)
    {
        var h = ctx.Response.Headers;
        ApplyHeaders(ctx.Response);
        if (HttpMethods.IsOptions(ctx.Request.Method) && ctx.Request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            h["Access-Control-Allow-Methods"] = "GET,HEAD,PUT,PATCH,POST,DELETE";
            var requested = ctx.Request.Headers["Access-Control-Request-Headers"].ToString();
            if (requested.Length > 0) h["Access-Control-Allow-Headers"] = requested;
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        return next(ctx);
    }

    private static async Task ProjectAndAuthAsync(HttpContext ctx, RequestDelegate next)
    {
        var registry = ctx.RequestServices.GetRequiredService<ProjectRegistry>();
        var name = ProjectNames.Default;
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/p/", StringComparison.Ordinal))
        {
            var end = path.IndexOf('/', 3);
            name = end < 0 ? path[3..] : path[3..end];
            ctx.Request.PathBase = ctx.Request.PathBase.Add("/p/" + name);
            ctx.Request.Path = end < 0 ? "/" : path[end..];
        }
        var project = await registry.GetAsync(name, ctx.RequestAborted) ?? throw ApiError.NotFound("Missing or invalid project.");
        ApiContext.SetProject(ctx, project);
        var gated = Backups.BackupsGate.Applies(ctx.Request);
        if (gated) await Backups.BackupsGate.EnterAsync(ctx, project);
        try
        {
            var (auth, refused) = await AuthTokenLoader.LoadCheckedAsync(project, ctx.Request.Headers.Authorization.FirstOrDefault(), ctx.RequestAborted, ctx.UtcNow());
            ApiContext.SetAuth(ctx, auth);
            if (refused) ApiContext.SetAuthRefused(ctx);
            await next(ctx);
        }
        finally
        {
            if (gated) project.Gate.Leave();
        }
    }
}
