using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>Shared steps of the email flow tests: a server with SMTP pointed at a test mail server, users, tokens from mails.</summary>
internal static partial class MailTestKit
{
    public const string Password = "user-password-123";

    /// <param name="time">The server's clock (a FakeTimeProvider the test moves), or null for the real one.</param>
    public static async Task<(PaperGaoApp App, TestMailServer Mail)> StartAsync(DatabaseKind db, PostgresCluster postgres, CancellationToken ct, TimeProvider? time = null)
    {
        var app = time is null ? await PaperGaoApp.StartAsync(db, postgres, ct) : await PaperGaoApp.StartAsync(db, postgres, time, ct);
        try
        {
            var mail = await TestMailServer.StartAsync(ct);
            await mail.ConfigureAsync(app, ct);
            return (app, mail);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers a users record (guest sign-up) and returns its id.</summary>
    public static async Task<string> CreateUserAsync(PaperGaoApp app, string email, CancellationToken ct, string collection = "users")
    {
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/{collection}/records",
            new { email, password = Password, passwordConfirm = Password }, ct);
        Assert.True(status == 200, $"sign-up failed: {status} {body}");
        return body!["id"]!.GetValue<string>();
    }

    public static async Task<(int Status, JsonNode? Body)> SignInAsync(PaperGaoApp app, string email, string password, CancellationToken ct, string collection = "users") =>
        await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/{collection}/auth-with-password", new { identity = email, password }, ct);

    public static async Task<string> TokenAsync(PaperGaoApp app, string email, CancellationToken ct, string password = Password)
    {
        var (status, body) = await SignInAsync(app, email, password, ct);
        Assert.True(status == 200, $"sign-in failed: {status} {body}");
        return body!["token"]!.GetValue<string>();
    }

    public static HttpClient ClientWith(PaperGaoApp app, string token)
    {
        var c = app.CreateClient();
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return c;
    }

    /// <summary>The token of a confirm link in a mail body: {APP_URL}/_/#/auth/confirm-{kind}/{TOKEN}.</summary>
    public static string LinkToken(MimeMessage message, string kind)
    {
        var m = Regex.Match(message.HtmlBody ?? "", "https://app\\.example\\.test/_/#/auth/confirm-" + kind + "/([A-Za-z0-9_.-]+)\"");
        Assert.True(m.Success, "no confirm-" + kind + " link in: " + message.HtmlBody);
        return m.Groups[1].Value;
    }

    public static string OtpCode(MimeMessage message)
    {
        var m = Regex.Match(message.HtmlBody ?? "", "<strong>([0-9]+)</strong>");
        Assert.True(m.Success, "no code in: " + message.HtmlBody);
        return m.Groups[1].Value;
    }

    public static JsonNode Claims(string token)
    {
        var p = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(p.PadRight(p.Length + (4 - p.Length % 4) % 4, '='))))!;
    }

    public static string Code(JsonNode? body, string field) => body?["data"]?[field]?["code"]?.GetValue<string>() ?? "(none)";
}
