using PaperGao.Server.Configuration;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// Where /metrics is served. With <see cref="ListenUrl"/> it is served only on that address (and needs the token when one
/// is set); with only <see cref="Token"/> it is served on the public address to requests bearing the token; with
/// neither, metrics are not collected at all.
/// </summary>
public sealed record MetricsSettings(string? ListenUrl, string? Token)
{
    public const string Path = "/metrics";

    public bool Enabled => ListenUrl is not null || Token is not null;

    /// <summary>The port of the separate metrics address, or 0 when /metrics is on the public address.</summary>
    public int ListenPort => ListenUrl is null ? 0 : new Uri(ListenUrl.Replace("//+:", "//any:", StringComparison.Ordinal).Replace("//*:", "//any:", StringComparison.Ordinal)).Port;

    public static MetricsSettings From(EffectiveConfig config)
    {
        var listen = config["metrics-listen"];
        var token = config["metrics-token"];
        return new(string.IsNullOrWhiteSpace(listen) ? null : ToUrl(listen), string.IsNullOrWhiteSpace(token) ? null : token);
    }

    /// <summary>host:port becomes http://host:port; a URL stays as it is.</summary>
    public static string ToUrl(string address) => address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
}
