using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server on 127.0.0.1 for one test: tests/s3-server/server.mjs (npm s3rver) with one bucket,
/// its objects stored in a temp folder. Its npm packages must be installed (test.sh and .ci/run run `npm ci` there).
/// </summary>
public sealed class TestS3Server : IAsyncDisposable
{
    public const string Bucket = "papergao-test";
    public const string AccessKey = "S3RVER";
    public const string Secret = "S3RVER";

    private readonly Process _process;
    private readonly string _dir;

    private TestS3Server(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>The folder s3rver keeps its objects in (a test can check that nothing lands outside the bucket).</summary>
    public string Folder => _dir;

    public static async Task<TestS3Server> StartAsync(CancellationToken ct)
    {
        var script = FindScript();
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "s3rver")))
            throw new InvalidOperationException("tests/s3-server has no node_modules: run `npm ci` in tests/s3-server first.");
        var dir = Path.Combine(Path.GetTempPath(), "papergao-s3-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add(Bucket);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException("the S3 server exited: " + await process.StandardError.ReadToEndAsync(ct));
            var port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
            return new TestS3Server(process, dir, port);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The "s3" settings section pointing at this server.</summary>
    public object SettingsSection => new { enabled = true, bucket = Bucket, region = "us-east-1", endpoint = Endpoint, accessKey = AccessKey, secret = Secret, forcePathStyle = true };

    /// <summary>Switches the app's default project to this server (PATCH /api/settings as a superuser).</summary>
    public async Task ConfigureAsync(PaperGaoApp app, CancellationToken ct)
    {
        using var su = await app.SuperuserClientAsync(ct);
        using var r = await su.PatchAsJsonAsync("/api/settings", new { s3 = SettingsSection }, ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"PATCH /api/settings: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
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
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "s3-server", "server.mjs");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("tests/s3-server/server.mjs not found above " + AppContext.BaseDirectory);
    }
}
