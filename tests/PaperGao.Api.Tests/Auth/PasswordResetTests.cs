using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class PasswordResetTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Reset_sets_the_password_verifies_and_kills_old_tokens(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var id = await CreateUserAsync(app, "dora@example.test", ct);
        var oldToken = await TokenAsync(app, "dora@example.test", ct);

        // Forwarded host headers from the caller never reach the link (security.md item 9): it uses meta.appURL.
        using (var spoofing = app.CreateClient())
        {
            spoofing.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
            spoofing.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-Proto", "http");
            Assert.Equal(204, (await SendAsync(spoofing, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "dora@example.test" }, ct)).Status);
        }
        var message = await mail.WaitForMailAsync("dora@example.test", ct);
        Assert.DoesNotContain("evil.example", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Reset your Acme <Test> password", message.Subject);
        var token = LinkToken(message, "password-reset");
        Assert.Equal("passwordReset", Claims(token)["type"]!.GetValue<string>());

        const string url = "/api/collections/users/confirm-password-reset";
        var (s1, b1) = await SendAsync(app.Client, HttpMethod.Post, url, new { token, password = "new-password-456", passwordConfirm = "other-password-456" }, ct);
        Assert.Equal((400, "validation_values_mismatch"), (s1, Code(b1, "passwordConfirm")));
        var (s2, b2) = await SendAsync(app.Client, HttpMethod.Post, url, new { token, password = "short", passwordConfirm = "short" }, ct);
        Assert.Equal(400, s2);
        Assert.NotEqual("(none)", Code(b2, "password"));
        var (s3, b3) = await SendAsync(app.Client, HttpMethod.Post, url, new { token = "x.y.z", password = "new-password-456", passwordConfirm = "new-password-456" }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s3, Code(b3, "token")));
        var (s4, b4) = await SendAsync(app.Client, HttpMethod.Post, url, new { password = "new-password-456", passwordConfirm = "new-password-456" }, ct);
        Assert.Equal((400, "validation_required"), (s4, Code(b4, "token")));
        // An auth token is not a reset token.
        var (s5, b5) = await SendAsync(app.Client, HttpMethod.Post, url, new { token = oldToken, password = "new-password-456", passwordConfirm = "new-password-456" }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s5, Code(b5, "token")));

        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, url, new { token, password = "new-password-456", passwordConfirm = "new-password-456" }, ct)).Status);
        Assert.Equal(400, (await SignInAsync(app, "dora@example.test", Password, ct)).Status);
        var (ok, auth) = await SignInAsync(app, "dora@example.test", "new-password-456", ct);
        Assert.Equal(200, ok);
        Assert.True(auth!["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal(id, auth["record"]!["id"]!.GetValue<string>());

        // tokenKey rotated: the old session and the used reset token are dead.
        using var old = ClientWith(app, oldToken);
        Assert.Equal(401, (await SendAsync(old, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status);
        var (s6, b6) = await SendAsync(app.Client, HttpMethod.Post, url, new { token, password = "third-password-789", passwordConfirm = "third-password-789" }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s6, Code(b6, "token")));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_input_unknown_and_non_auth_collections(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new System.Text.Json.Nodes.JsonObject { ["name"] = "posts", ["type"] = "base" }, ct);
        var (s1, b1) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "" }, ct);
        Assert.Equal((400, "validation_required"), (s1, Code(b1, "email")));
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/nope/request-password-reset", new { email = "a@b.test" }, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/confirm-password-reset", new { token = "a" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { passwordAuth = new { enabled = false } }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "a@b.test" }, ct)).Status);
    }
}
