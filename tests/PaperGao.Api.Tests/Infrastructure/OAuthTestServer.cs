using System.Diagnostics;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A real OAuth2/OpenID Connect server (npm oauth2-mock-server, tests/oauth-server/server.mjs) on 127.0.0.1 and a
/// free port, for one test. Runs `npm ci` there first when its node_modules are missing. Stopped on dispose
/// (closing its stdin ends it; killed if it lingers).
/// </summary>
public sealed class OAuthTestServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private readonly Process _process;

    public string Url { get; }

    private OAuthTestServer(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public static async Task<OAuthTestServer> StartAsync(CancellationToken ct)
    {
        var dir = FindPackageDir();
        await EnsureInstalledAsync(dir);
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("server.mjs");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("node could not start");
        var urlFound = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("OAUTH_SERVER_URL=", StringComparison.Ordinal)) urlFound.TrySetResult(line["OAUTH_SERVER_URL=".Length..]);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.Exited += (_, _) => urlFound.TrySetException(new InvalidOperationException("the OAuth2 server exited: " + errors));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await urlFound.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
            return new OAuthTestServer(process, url);
        }
        catch
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Plays the user's browser: opens the authorization URL (as auth-methods gave it, plus the redirect URL) for
    /// the given test user and returns the code from the redirect, after checking the state came back.
    /// </summary>
    public static async Task<string> AuthorizeAsync(string authUrl, string redirectUrl, JsonObject user, CancellationToken ct, bool failToken = false)
    {
        var url = authUrl + Uri.EscapeDataString(redirectUrl) + "&test_user=" + Uri.EscapeDataString(user.ToJsonString()) + (failToken ? "&fail_token=1" : "");
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        using var res = await http.GetAsync(url, ct);
        var location = res.Headers.Location ?? throw new InvalidOperationException($"authorize answered {(int)res.StatusCode} without a redirect");
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        var state = System.Web.HttpUtility.ParseQueryString(new Uri(authUrl).Query)["state"];
        if (query["state"] != state) throw new InvalidOperationException("the state did not come back");
        return query["code"] ?? throw new InvalidOperationException("no code in " + location);
    }

    private static string FindPackageDir()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "oauth-server");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new InvalidOperationException("tests/oauth-server not found above " + AppContext.BaseDirectory);
    }

    private static async Task EnsureInstalledAsync(string dir)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(dir, "node_modules", "oauth2-mock-server"))) return;
            var r = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", dir], TimeSpan.FromMinutes(3));
            if (!r.Succeeded) throw new InvalidOperationException("npm ci in tests/oauth-server failed: " + r.Output);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
    }
}
