using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using PaperGao.Core.Telemetry;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// The OpenTelemetry meter provider and its Prometheus exporter, registered only when metrics are enabled, so a server
/// without a metrics address or token pays nothing for them.
/// </summary>
public static class MetricsServices
{
    /// <summary>Meters the exporter reads: ASP.NET Core's (http.server.request.duration with the route template), Kestrel's,
    /// the runtime's, outbound HTTP, Npgsql's connection pool, and PaperGao's own.</summary>
    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Runtime",
        "System.Net.Http",
        "Npgsql",
        PaperGaoMetrics.MeterName,
    ];

    /// <summary>The resource every signal carries (service.name papergao and its version); call once.</summary>
    public static IServiceCollection AddPaperGaoResource(this IServiceCollection services)
    {
        services.AddOpenTelemetry().ConfigureResource(r => r.AddService("papergao", serviceVersion: typeof(MetricsServices).Assembly.GetName().Version?.ToString()));
        return services;
    }

    public static IServiceCollection AddPaperGaoMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(Meters).AddPrometheusExporter());
        services.AddSingleton<PaperGaoObservers>();
        return services;
    }
}
