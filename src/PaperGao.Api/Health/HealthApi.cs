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
            w.WriteBoolean("canBackup", Backups.BackupsHealth.CanBackup(ctx));
            w.WriteString("realIP", ctx.Connection.RemoteIpAddress?.ToString() ?? "");
            w.WriteString("possibleProxyHeader", ctx.Request.Headers.ContainsKey("X-Forwarded-For") ? "X-Forwarded-For" : "");
        }
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
