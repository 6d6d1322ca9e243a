using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// OpenTelemetry traces sent with OTLP over HTTP (protobuf) to <c>--otlp-endpoint</c>: incoming requests (with the W3C
/// trace context of the caller), outbound HTTP and Npgsql's SQL statements. Registered only when an endpoint is set,
/// so a server without one creates no spans at all.
/// </summary>
public static class TracingServices
{
    public static IServiceCollection AddPaperGaoTracing(this IServiceCollection services, string endpoint)
    {
        var traces = new Uri(MetricsSettings.ToUrl(endpoint).TrimEnd('/') + "/v1/traces");
        services.AddOpenTelemetry().WithTracing(t => t
            .AddAspNetCoreInstrumentation(o => o.Filter = ctx => ctx.Request.Path != MetricsSettings.Path)
            .AddHttpClientInstrumentation()
            .AddSource("Npgsql")
            .AddOtlpExporter(o =>
            {
                o.Endpoint = traces;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 1000;
            }));
        return services;
    }
}
