using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.RateLimits;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>What both transports share: the broker of the request, the caller's IP, and the lifetime of one connection.</summary>
public static class RealtimeConnection
{
    public static RealtimeBroker Broker(HttpContext ctx) => ctx.RequestServices.GetRequiredService<RealtimeBroker>();

    /// <summary>Reaches the clients of the other nodes of a cluster.</summary>
    public static RealtimeRelay Relay(HttpContext ctx) => ctx.RequestServices.GetRequiredService<RealtimeFanout>().Relay;

    /// <summary>Fires when the server shuts down: streams end then, so a graceful stop does not wait for them.</summary>
    public static CancellationToken Stopping(HttpContext ctx) =>
        ctx.RequestServices.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;

    /// <summary>The request's auth for a realtime binding, with its token's expiry (the binding ends with the token).</summary>
    public static Core.Realtime.RealtimeAuth AuthOf(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString().Trim();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) header = header[7..].Trim();
        var exp = ctx.Auth() is null ? 0 : Core.Auth.Jwt.ReadUnverified(header)?.Exp ?? 0;
        return new Core.Realtime.RealtimeAuth(ctx.Auth(), ctx.IsSuperuser()) { ExpiresAt = exp };
    }

    /// <summary>The caller's IP as the rate limiter sees it (trusted proxy headers honoured).</summary>
    public static string CallerIp(HttpContext ctx) =>
        ClientIp.Resolve(ctx.Connection.RemoteIpAddress, ctx.Request.Headers, RateLimiting.SettingsOf(ctx.Project().Settings));
}
