using System.Diagnostics;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Durability;

namespace PaperGao.Api.Tests.Telemetry;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) on a free loopback port with a throwaway config and storage
/// folder, scraping one target every second. Tests needing it are skipped with a message when the binary is absent,
/// and fail instead when PAPERGAO_REQUIRE_PROMETHEUS=1 (set by .ci/run).
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    public const string RequireVariable = "PAPERGAO_REQUIRE_PROMETHEUS";
    private readonly Process _process;
    private readonly string _dir;

    private PrometheusServer(Process process, string dir, string baseUrl)
    {
        _process = process;
        _dir = dir;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>The prometheus binary; skips (or fails) the calling test when there is none.</summary>
    public static string Binary()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "prometheus");
            if (File.Exists(candidate)) return candidate;
        }
        const string message = "prometheus is not installed (Debian package 'prometheus')";
        if (Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true") Assert.Fail(message + $" and {RequireVariable}=1, so this is a failure, not a skip.");
        Assert.Skip(message + $"; set {RequireVariable}=1 to make this a failure.");
        return "";
    }

    /// <summary>Starts Prometheus scraping http://<paramref name="target"/>/metrics with the bearer token.</summary>
    public static PrometheusServer Start(string binary, string target, string token)
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-prometheus-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: papergao
                metrics_path: /metrics
                authorization:
                  credentials: {token}
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = ServerProcess.FreePort();
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(dir, "data"), $"--web.listen-address=127.0.0.1:{port}",
                     "--web.console.templates=" + dir, "--web.console.libraries=" + dir,
                 })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PrometheusServer(process, dir, $"http://127.0.0.1:{port}");
    }

    /// <summary>GETs an API path until <paramref name="accept"/> returns a value or the deadline passes; returns the last body.</summary>
    public async Task<T> WaitForAsync<T>(string path, Func<JsonNode, T?> accept, TimeSpan timeout, CancellationToken ct) where T : class
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"prometheus exited with {_process.ExitCode}");
            try
            {
                last = await client.GetStringAsync(BaseUrl + path, ct);
                if (accept(JsonNode.Parse(last)!) is { } found) return found;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"Prometheus {path} did not reach the expected state within {timeout.TotalSeconds} s; last answer: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
