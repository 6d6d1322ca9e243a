using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using PaperGao.Core.Telemetry;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// OpenTelemetry traces sent with OTLP over HTTP (protobuf) to <c>--otlp-endpoint</c>: incoming requests (with the W3C
/// trace context of the caller), outbound HTTP, Npgsql's SQL statements and PaperGao's own spans (function runs, SQLite
/// statements and writes: PaperGaoTracing). Registered only when an endpoint is set, so a server without one creates no
/// spans at all.
/// </summary>
public static class TracingServices
{
    public static IServiceCollection AddPaperGaoTracing(this IServiceCollection services, string endpoint)
    {
        var traces = new Uri(MetricsSettings.ToUrl(endpoint).TrimEnd('/') + "/v1/traces");
        PaperGaoTracing.SqliteStatements = true; // before any database opens (ServeCommand builds the host first)
        services.AddOpenTelemetry().WithTracing(t => t
            .AddAspNetCoreInstrumentation(o => o.Filter = ctx => ctx.Request.Path != MetricsSettings.Path)
            .AddHttpClientInstrumentation()
            .AddSource("Npgsql")
            .AddSource(PaperGaoTracing.SourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = traces;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 1000;
            }));
        return services;
    }
}
