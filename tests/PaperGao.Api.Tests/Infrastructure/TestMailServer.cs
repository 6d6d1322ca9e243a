using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1 for one test: tests/mail-server/server.mjs (npm smtp-server) writes each message it
/// receives as a file into a temp folder; WaitForMailAsync polls that folder until a matching message arrives or the
/// deadline passes. Its npm packages must be installed (test.sh and .ci/run run `npm ci` there).
/// </summary>
public sealed class TestMailServer : IAsyncDisposable
{
    /// <summary>The password the server accepts when a client authenticates.</summary>
    public const string Password = "test-smtp-password";

    private readonly Process _process;
    private readonly string _dir;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    private TestMailServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TestMailServer> StartAsync(CancellationToken ct)
    {
        var script = FindScript();
        if (!Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "smtp-server")))
            throw new InvalidOperationException("tests/mail-server has no node_modules: run `npm ci` in tests/mail-server first.");
        var dir = Path.Combine(Path.GetTempPath(), "papergao-mail-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(20));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                       ?? throw new InvalidOperationException("the mail server exited: " + await process.StandardError.ReadToEndAsync(ct));
            var port = JsonNode.Parse(line)!["port"]!.GetValue<int>();
            return new TestMailServer(process, dir, port);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Points the app's SMTP settings at this server (with AUTH) and sets the app name and URL the templates use.</summary>
    public async Task ConfigureAsync(PaperGaoApp app, CancellationToken ct)
    {
        using var su = await app.SuperuserClientAsync(ct);
        using var r = await su.PatchAsJsonAsync("/api/settings", new
        {
            meta = new { appName = "Acme <Test>", appURL = "https://app.example.test", senderName = "Acme", senderAddress = "no-reply@example.test" },
            smtp = new { enabled = true, host = "127.0.0.1", port = Port, username = "mailer", password = Password, tls = false },
        }, ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"PATCH /api/settings: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>The next message not returned before whose recipient is <paramref name="to"/>; fails after the deadline.</summary>
    public async Task<MimeMessage> WaitForMailAsync(string to, CancellationToken ct, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            foreach (var file in Directory.GetFiles(_dir, "*.eml").Order(StringComparer.Ordinal))
            {
                if (_taken.Contains(file)) continue;
                var message = await MimeMessage.LoadAsync(file, ct);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase)))
                {
                    _taken.Add(file);
                    return message;
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no email to {to} arrived within the deadline");
            await Task.Delay(50, ct);
        }
    }

    /// <summary>How many messages the server has received so far.</summary>
    public int ReceivedCount => Directory.GetFiles(_dir, "*.eml").Length;

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
            var candidate = Path.Combine(dir.FullName, "tests", "mail-server", "server.mjs");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("tests/mail-server/server.mjs not found above " + AppContext.BaseDirectory);
    }
}
