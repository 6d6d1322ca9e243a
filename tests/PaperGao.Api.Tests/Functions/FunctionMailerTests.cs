using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>onMailerRecord*Send and onMailerSend change the auth flows' mails on their way to the (real, test) SMTP server.</summary>
public sealed class FunctionMailerTests(PostgresCluster postgres)
{
    private const string Code = """
        onMailerRecordPasswordResetSend((e) => {
          e.message.subject = "Reset for " + e.record.get("email")
          e.next()
        }, "users")
        onMailerSend((e) => {
          if (e.message.to[0].address === "moved@example.test") e.message.to = [{ address: "elsewhere@example.test", name: "Else" }]
          e.message.html = e.message.html + "<p>added by a hook</p>"
          e.next()
        })
        onMailerRecordVerificationSend((e) => { e.message.subject = "never for other collections"; e.next() }, "no_such_collection")
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Mailer_hooks_change_the_message_and_the_recipient(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());
        await CreateUserAsync(app, "dora@example.test", ct);
        await CreateUserAsync(app, "moved@example.test", ct);

        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "dora@example.test" }, ct)).Status);
        var reset = await mail.WaitForMailAsync("dora@example.test", ct);
        Assert.Equal("Reset for dora@example.test", reset.Subject);
        Assert.Contains("<p>added by a hook</p>", reset.HtmlBody, StringComparison.Ordinal);

        // A verification mail: the tagged record hook is for another collection; onMailerSend still runs.
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "moved@example.test" }, ct)).Status);
        var moved = await mail.WaitForMailAsync("elsewhere@example.test", ct);
        Assert.NotEqual("never for other collections", moved.Subject);
        Assert.Contains("<p>added by a hook</p>", moved.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Else", moved.To.Mailboxes.Single().Name);
    }
}
