using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;

namespace PaperGao.Api.Health;

/// <summary>
/// GET/HEAD /api/health (public, liveness: the process answers; PocketBase's answer). Note "code", not "status"
/// (protocol.md §8). GET/HEAD /api/health/ready (public, readiness, PaperGao's own): the project's database answers a
/// trivial query within <see cref="ReadyTimeout"/>, else 503 in the error envelope.
/// </summary>
public static class HealthApi
{
    /// <summary>How long the readiness check waits for the database; the deploy files give their probes 3 s or more.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/health", ["GET", "HEAD"], (Func<HttpContext, Task>)HealthAsync).WithTags("Health").WithName("Health").WithSummary("Health check.");
        app.MapMethods("/api/health/ready", ["GET", "HEAD"], (Func<HttpContext, Task>)ReadyAsync).WithTags("Health").WithName("HealthReady")
            .WithSummary("Readiness check: 200 when the project's database answers within 2 s, 503 otherwise.");
        return app;
    }

    private static async Task ReadyAsync(HttpContext ctx)
    {
        var project = ctx.Project();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        limit.CancelAfter(ReadyTimeout);
        try
        {
            await project.Database.ReadAsync(conn => project.Database.ScalarAsync(conn, null, "SELECT 1", null, limit.Token), limit.Token);
        }
        catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested && e is not ApiError)
        {
            // Whatever stops the trivial query (refused or broken connection, time limit, a full pool) means "not ready".
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Api")
                .LogWarning("Not ready: the database of project {Project} did not answer: {Error}", project.Name, e.Message);
            throw new ApiError(StatusCodes.Status503ServiceUnavailable, "The database did not answer.");
        }
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", "API is ready.");
            w.WriteNumber("code", 200);
            w.WritePropertyName("data");
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static Task HealthAsync(HttpContext ctx) => JsonResponse.WriteAsync(ctx, w =>
    {
        w.WriteStartObject();
        w.WriteString("message", "API is healthy.");
        w.WriteNumber("code", 200);
        w.WritePropertyName("data");
        w.WriteStartObject();
        if (ctx.IsSuperuser())
        {
            // As PocketBase: canBackup is false only while a backup or restore runs;
            // realIP is the client IP as the rate limits resolve it (trusted proxy settings applied); the proxy
            // hint names the first configured or common proxy header present on the request.
            var settings = RateLimits.RateLimiting.SettingsOf(ctx.Project().Settings);
            w.WriteBoolean("canBackup", Backups.BackupsHealth.CanBackup(ctx));
            w.WriteString("realIP", RateLimits.ClientIp.Resolve(ctx.Connection.RemoteIpAddress, ctx.Request.Headers, settings));
            var hint = settings.ProxyHeaders.Concat(["CF-Connecting-IP", "Fly-Client-IP", "X-Forwarded-For"])
                .FirstOrDefault(h => ctx.Request.Headers[h].ToString().Length > 0) ?? "";
            w.WriteString("possibleProxyHeader", hint);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
