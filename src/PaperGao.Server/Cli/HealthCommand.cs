using PaperGao.Server.Telemetry;

namespace PaperGao.Server.Cli;

/// <summary>
/// papergao health [--ready]: asks the configured listen address (--http, PAPERGAO_HTTP or the config file) for
/// /api/health (liveness), or with --ready for /api/health/ready (the database answers too), and exits 0 when it answers
/// 200, 1 otherwise. A container HEALTHCHECK without curl; a wildcard host is asked on loopback.
/// </summary>
public static class HealthCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        if (args.Positionals.Count > 0 || args.Passthrough.Any(p => p != "--ready"))
        {
            await Console.Error.WriteLineAsync($"Unexpected argument '{args.Positionals.Concat(args.Passthrough.Where(p => p != "--ready")).First()}'.{Environment.NewLine}{CommandLine.Usage}");
            return 2;
        }
        var url = HealthUrl(args.Http, ready: args.Passthrough.Contains("--ready"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode) return 0;
            await Console.Error.WriteLineAsync($"{url}: {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
        }
        return 1;
    }

    /// <summary>http://0.0.0.0:8090 (or [::], +, *) becomes http://127.0.0.1:8090/api/health (ready: /api/health/ready).</summary>
    public static Uri HealthUrl(string http, bool ready = false)
    {
        var url = MetricsSettings.ToUrl(http.Split(';')[0]);
        var wildcard = url.Contains("//+:", StringComparison.Ordinal) || url.Contains("//*:", StringComparison.Ordinal);
        var uri = new UriBuilder(wildcard ? url.Replace("//+:", "//any:", StringComparison.Ordinal).Replace("//*:", "//any:", StringComparison.Ordinal) : url);
        if (wildcard || uri.Host is "0.0.0.0" or "[::]" or "::") uri.Host = "127.0.0.1";
        uri.Path = ready ? "/api/health/ready" : "/api/health";
        return uri.Uri;
    }
}
