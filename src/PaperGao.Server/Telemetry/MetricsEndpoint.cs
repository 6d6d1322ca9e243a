using System.Security.Cryptography;
using System.Text;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// GET /metrics in Prometheus' text format. On the separate metrics address nothing else is served (404); without
/// one, /metrics exists on the public address only when a token is configured. A configured token is required as
/// <c>Authorization: Bearer …</c> (401 otherwise), compared in constant time.
/// </summary>
public static class MetricsEndpoint
{
    public static WebApplication UseMetricsEndpoint(this WebApplication app, MetricsSettings settings)
    {
        if (!settings.Enabled) return app;
        app.Services.GetRequiredService<PaperGaoObservers>();
        var port = settings.ListenPort;
        var token = settings.Token is null ? null : Encoding.UTF8.GetBytes(settings.Token);
        if (port != 0)
            app.Use(async (ctx, next) =>
            {
                if (ctx.Connection.LocalPort != port) await next(ctx);
                else if (ctx.Request.Path != MetricsSettings.Path) await ErrorWriter.WriteAsync(ctx, ApiError.NotFound());
                else await next(ctx);
            });
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: ctx => ctx.Request.Path == MetricsSettings.Path && (port == 0 || ctx.Connection.LocalPort == port),
            path: null,
            configureBranchedPipeline: branch => branch.Use(async (ctx, next) =>
            {
                if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
                    await ErrorWriter.WriteAsync(ctx, new ApiError(StatusCodes.Status405MethodNotAllowed, "Only GET is allowed on /metrics."));
                else if (token is not null && !Authorized(ctx.Request.Headers.Authorization.ToString(), token))
                {
                    ctx.Response.OnStarting(() => { ctx.Response.Headers.WWWAuthenticate = "Bearer"; return Task.CompletedTask; });
                    await ErrorWriter.WriteAsync(ctx, ApiError.Unauthorized("The metrics token is missing or wrong."));
                }
                else await next(ctx);
            }),
            optionsName: null);
        return app;
    }

    private static bool Authorized(string header, byte[] token)
    {
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var given = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(token));
    }
}
