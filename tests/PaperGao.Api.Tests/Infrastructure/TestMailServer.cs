using System.Net.Http.Json;
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

    private readonly NodeTestServer _server;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    private TestMailServer(NodeTestServer server) => _server = server;

    public int Port => _server.Port;

    public static async Task<TestMailServer> StartAsync(CancellationToken ct) =>
        new(await NodeTestServer.StartAsync("mail-server", "smtp-server", ct));

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
            foreach (var file in Directory.GetFiles(_server.Folder, "*.eml").Order(StringComparer.Ordinal))
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
    public int ReceivedCount => Directory.GetFiles(_server.Folder, "*.eml").Length;

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
