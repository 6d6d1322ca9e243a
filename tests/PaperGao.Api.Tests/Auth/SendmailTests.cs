using System.Diagnostics;
using MimeKit;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>
/// SMTP off: mail goes to the operator's local mail program (<c>--sendmail</c>) as PocketBase does. The program here is a
/// real executable (a shell script) that keeps its arguments and the message it reads, or fails like a broken MTA.
/// </summary>
public sealed class SendmailTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task With_smtp_off_mail_goes_to_the_mail_program_and_its_failure_is_reported(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("papergao-sendmail-").FullName;
        try
        {
            var program = Script(dir, "sendmail", "printf '%s\\n' \"$*\" > \"$0.args\"\ncat > \"$0.tmp\" && mv \"$0.tmp\" \"$0.mail\"\n");
            await using var app = await PaperGaoApp.StartWithSendmailAsync(db, postgres, program, ct);
            using var su = await app.SuperuserClientAsync(ct);

            // test/email: answered 204 only once the program took the message.
            Assert.Equal(204, (await SendAsync(su, HttpMethod.Post, "/api/settings/test/email", new { email = "ivy@example.test", template = "otp", collection = "users" }, ct)).Status);
            var mail = await MimeMessage.LoadAsync(program + ".mail", ct);
            Assert.Equal("ivy@example.test", Assert.Single(mail.To.Mailboxes).Address);
            Assert.Contains("<strong>123456</strong>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Equal("-t -i", (await File.ReadAllTextAsync(program + ".args", ct)).Trim());
            File.Delete(program + ".mail");

            // A flow that mails in the background (password reset) uses it too.
            await CreateUserAsync(app, "dora@example.test", ct);
            Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "dora@example.test" }, ct)).Status);
            var reset = await WaitForMailAsync(program + ".mail", ct);
            Assert.Equal("dora@example.test", Assert.Single(reset.To.Mailboxes).Address);
            Assert.Contains("confirm-password-reset", reset.HtmlBody, StringComparison.Ordinal);

            // Bad input is still refused before any program runs.
            File.Delete(program + ".mail");
            var (s1, b1) = await SendAsync(su, HttpMethod.Post, "/api/settings/test/email", new { email = "not-an-email", template = "otp" }, ct);
            Assert.Equal((400, "validation_is_email"), (s1, Code(b1, "email")));
            Assert.False(File.Exists(program + ".mail"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_failing_or_missing_mail_program_is_a_400_on_test_email(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("papergao-sendmail-").FullName;
        try
        {
            var program = Script(dir, "sendmail", "cat > /dev/null\necho 'queue directory is not writable' >&2\nexit 75\n");
            await using var app = await PaperGaoApp.StartWithSendmailAsync(db, postgres, program, ct);
            using var su = await app.SuperuserClientAsync(ct);
            var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/settings/test/email", new { email = "ivy@example.test", template = "otp" }, ct);
            Assert.Equal((400, "validation_send_failed"), (status, Code(body, "email")));
            Assert.Contains("exited with 75: queue directory is not writable", body!.ToJsonString(), StringComparison.Ordinal);

            File.Delete(program);
            (status, body) = await SendAsync(su, HttpMethod.Post, "/api/settings/test/email", new { email = "ivy@example.test", template = "otp" }, ct);
            Assert.Equal((400, "validation_send_failed"), (status, Code(body, "email")));
            Assert.Contains("does not exist", body!.ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Script(string dir, string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<MimeMessage> WaitForMailAsync(string path, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{path} was not written within 30 s");
            await Task.Delay(50, ct);
        }
        return await MimeMessage.LoadAsync(path, ct);
    }
}
