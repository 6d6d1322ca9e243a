using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;

namespace PaperGao.Api.Health;

/// <summary>GET/HEAD /api/health (public). Note "code", not "status" (protocol.md §8).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/health", ["GET", "HEAD"], (Func<HttpContext, Task>)HealthAsync).WithTags("Health").WithName("Health").WithSummary("Health check.");
        return app;
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
