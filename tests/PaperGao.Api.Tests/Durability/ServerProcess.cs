using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PaperGao.Api.Tests.Durability;

/// <summary>The real papergao executable (copied next to the tests) started as a child process on a free port.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "papergao.dll");

    public static Task<ServerProcess> StartAsync(string dir, string? db, CancellationToken ct, params string[] extraArgs) =>
        StartAsync(dir, db, new Dictionary<string, string>(), ct, extraArgs);

    /// <summary>Starts the server with extra environment variables (runtime knobs such as the GC's).</summary>
    public static async Task<ServerProcess> StartAsync(string dir, string? db, IReadOnlyDictionary<string, string> env, CancellationToken ct, params string[] extraArgs)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) psi.Environment[k] = v;
        foreach (var a in Args(["serve", "--http", $"127.0.0.1:{port}", "--dir", dir, .. DbArgs(db), .. extraArgs])) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var server = new ServerProcess(p, $"http://127.0.0.1:{port}");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"server exited with {p.ExitCode} while starting");
            try
            {
                using var r = await client.GetAsync(server.BaseUrl + "/api/health", ct);
                if (r.IsSuccessStatusCode) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(50, ct);
        }
        await server.DisposeAsync();
        throw new TimeoutException("server did not become healthy within 60 s");
    }

    public static async Task RunCliAsync(CancellationToken ct, params string?[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in Args([.. args])) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync(ct);
        await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"papergao {string.Join(' ', args)} failed: {await err}");
    }

    private static IEnumerable<string> Args(params string?[] args)
    {
        yield return ServerDll;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is null) continue;
            yield return args[i]!;
        }
    }

    public static string?[] DbArgs(string? db) => db is null ? [] : ["--db", db];

    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
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
