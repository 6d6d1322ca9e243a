using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// One of the node test servers under tests/ (mail-server, s3-server): `node tests/NAME/server.mjs DIR ARGS...` with a
/// fresh temp folder DIR; the script prints {"port":N} once it listens and exits when its stdin closes. Dispose stops it
/// and deletes the folder. Its npm packages must be installed (test.sh and .ci/run run `npm ci` there).
/// </summary>
public sealed class NodeTestServer : IAsyncDisposable
{
    private readonly Process _process;

    private NodeTestServer(Process process, string dir, int port)
    {
        _process = process;
        Folder = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The temp folder given to the script (where it keeps what it receives).</summary>
    public string Folder { get; }

    /// <param name="name">The folder under tests/ (e.g. "mail-server").</param>
    /// <param name="package">An npm package the script needs, to say what is missing when node_modules was not installed.</param>
    public static async Task<NodeTestServer> StartAsync(string name, string package, CancellationToken ct, params string[] args)
    {
        var script = FindScript(name);
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", package)))
            throw new InvalidOperationException($"tests/{name} has no node_modules: run `npm ci` in tests/{name} first.");
        var dir = Path.Combine(Path.GetTempPath(), $"papergao-{name}-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException($"tests/{name} exited: " + await process.StandardError.ReadToEndAsync(ct));
            return new NodeTestServer(process, dir, JsonNode.Parse(line)!["port"]!.GetValue<int>());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", name, "server.mjs");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException($"tests/{name}/server.mjs not found above " + AppContext.BaseDirectory);
    }
}
