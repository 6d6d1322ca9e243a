using System.Diagnostics;
using System.Text;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// The single-file executable made by scripts/publish.sh, named by PAPERGAO_TEST_RELEASE_BINARY (./test.sh sets it after
/// publishing when PAPERGAO_TEST_RELEASE=1, which .ci/run sets). Without it the tests using it are skipped; with
/// PAPERGAO_TEST_RELEASE=1 and no binary they fail. Runs it with a PATH that holds no dotnet and no DOTNET_* variable.
/// </summary>
internal sealed class ReleaseBinary : IAsyncDisposable
{
    public const string BinaryVariable = "PAPERGAO_TEST_RELEASE_BINARY";
    public const string RequireVariable = "PAPERGAO_TEST_RELEASE";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private ReleaseBinary(Process process) => _process = process;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_gate) return _output.ToString(); } }

    /// <summary>The binary's path; skips (or fails) the calling test when there is none.</summary>
    public static string Path()
    {
        var path = Environment.GetEnvironmentVariable(BinaryVariable);
        if (!string.IsNullOrEmpty(path) && File.Exists(path)) return path;
        var message = string.IsNullOrEmpty(path) ? $"{BinaryVariable} is not set (./papergao publish linux-x64 makes dist/papergao-linux-x64)" : $"{BinaryVariable}={path} does not exist";
        if (Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true") Assert.Fail(message + $" and {RequireVariable}=1, so this is a failure, not a skip.");
        Assert.Skip(message + $"; ./test.sh publishes and runs it with {RequireVariable}=1.");
        return "";
    }

    /// <summary>An environment with nothing of .NET in it: PATH without the SDK, HOME and the bundle extraction folder in <paramref name="home"/>.</summary>
    private static void Isolate(ProcessStartInfo psi, string home)
    {
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PAPERGAO_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["PATH"] = System.IO.Path.Combine(home, "bin");
        psi.Environment["HOME"] = home;
        psi.Environment["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = System.IO.Path.Combine(home, "extract");
    }

    public static ReleaseBinary Start(string binary, string home, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Isolate(psi, home);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var exe = new ReleaseBinary(new Process { StartInfo = psi });
        exe._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (exe._gate) exe._output.AppendLine(e.Data); };
        exe._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (exe._gate) exe._output.AppendLine(e.Data); };
        exe._process.Start();
        exe._process.BeginOutputReadLine();
        exe._process.BeginErrorReadLine();
        return exe;
    }

    /// <summary>Runs a command of the binary to its end (60 s at most).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string binary, string home, IEnumerable<string> args, CancellationToken ct)
    {
        await using var exe = Start(binary, home, args);
        await exe.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);
        return (exe.ExitCode, exe.Output);
    }

    public async Task WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected streams
    }

    /// <summary>Waits for a 200 from /api/health and returns how long after the start it came (60 s at most).</summary>
    public async Task<TimeSpan> WaitHealthyAsync(string baseUrl, Stopwatch sinceStart, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (sinceStart.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"papergao exited with {_process.ExitCode}: {Output}");
            try
            {
                using var r = await client.GetAsync(baseUrl + "/api/health", ct);
                if (r.IsSuccessStatusCode) return sinceStart.Elapsed;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(10, ct);
        }
        throw new TimeoutException("papergao did not become healthy within 60 s: " + Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
