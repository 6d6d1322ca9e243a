using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class TestEmailTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Test_email_renders_a_template_and_sends_it(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        using var su = await app.SuperuserClientAsync(ct);
        const string url = "/api/settings/test/email";

        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, url, new { email = "ivy@example.test", template = "otp" }, ct)).Status);
        var (s1, b1) = await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "nope" }, ct);
        Assert.Equal((400, "validation_in_invalid"), (s1, Code(b1, "template")));
        var (s2, b2) = await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "otp", collection = "missing" }, ct);
        Assert.Equal(400, s2);
        Assert.NotEqual("(none)", Code(b2, "collection"));

        Assert.Equal(204, (await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "otp", collection = "users" }, ct)).Status);
        var message = await mail.WaitForMailAsync("ivy@example.test", ct);
        Assert.Contains("<strong>123456</strong>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "password-reset" }, ct)).Status);
        Assert.Contains("confirm-password-reset/test_token", (await mail.WaitForMailAsync("ivy@example.test", ct)).HtmlBody, StringComparison.Ordinal);

        // A custom template with {RECORD:field}: values are escaped, hidden fields never appear.
        var template = new { subject = "Hi {RECORD:email}", body = "<p>{RECORD:email} {RECORD:tokenKey} {APP_NAME}</p>" };
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { verificationTemplate = template }, ct)).Status);
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "verification", collection = "users" }, ct)).Status);
        var custom = await mail.WaitForMailAsync("ivy@example.test", ct);
        Assert.Equal("Hi ivy@example.test", custom.Subject);
        Assert.Equal("<p>ivy@example.test  Acme &lt;Test&gt;</p>", custom.HtmlBody?.Trim());

        // Wrong SMTP credentials: a 400 that names the failure but never the password; disabled SMTP: 400 too.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { password = "wrong-smtp-secret" } }, ct)).Status);
        var (s3, b3) = await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "otp" }, ct);
        Assert.Equal(400, s3);
        Assert.DoesNotContain("wrong-smtp-secret", b3!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { enabled = false } }, ct)).Status);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, url, new { email = "ivy@example.test", template = "otp" }, ct)).Status);
        Assert.Equal(3, mail.ReceivedCount);
    }
}
