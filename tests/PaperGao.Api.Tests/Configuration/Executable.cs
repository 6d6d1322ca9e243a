using System.Diagnostics;
using System.Text;

namespace PaperGao.Api.Tests.Configuration;

/// <summary>
/// The real papergao executable with chosen arguments and environment variables (PAPERGAO_* of the test process
/// are removed first, so only what a test sets is seen). Collects stdout and stderr line by line.
/// </summary>
internal sealed class Executable : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly object _gate = new();

    private Executable(Process process) => _process = process;

    public static Executable Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PAPERGAO_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "papergao.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var exe = new Executable(new Process { StartInfo = psi });
        exe._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (exe._gate) exe._stdout.AppendLine(e.Data); };
        exe._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (exe._gate) exe._stderr.AppendLine(e.Data); };
        exe._process.Start();
        exe._process.BeginOutputReadLine();
        exe._process.BeginErrorReadLine();
        return exe;
    }

    /// <summary>Runs a command to its end (60 s at most) and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env, CancellationToken ct)
    {
        await using var exe = Start(args, env);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await exe._process.WaitForExitAsync(timeout.Token);
        exe._process.WaitForExit(); // drains the redirected streams
        return (exe._process.ExitCode, exe.Stdout, exe.Stderr);
    }

    public string Stdout { get { lock (_gate) return _stdout.ToString(); } }

    public string Stderr { get { lock (_gate) return _stderr.ToString(); } }

    public bool HasExited => _process.HasExited;

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public void Kill() => _process.Kill();

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    /// <summary>Waits until the server answers /api/health at <paramref name="baseUrl"/> (60 s at most).</summary>
    public async Task WaitHealthyAsync(string baseUrl, CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"papergao exited with {_process.ExitCode}: {Stderr}{Stdout}");
            try
            {
                using var r = await client.GetAsync(baseUrl + "/api/health", ct);
                if (r.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(50, ct);
        }
        throw new TimeoutException("papergao did not become healthy within 60 s: " + Stderr + Stdout);
    }

    /// <summary>Waits until stdout holds a line containing <paramref name="text"/> (30 s at most).</summary>
    public async Task<string> WaitForLineAsync(string text, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = Stdout.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line.TrimEnd('\r');
            await Task.Delay(50, ct);
        }
        throw new TimeoutException($"no log line with '{text}' within 30 s: {Stdout}");
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
