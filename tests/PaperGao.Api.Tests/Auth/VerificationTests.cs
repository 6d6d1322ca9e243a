using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class VerificationTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Request_sends_a_link_and_confirm_verifies(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var id = await CreateUserAsync(app, "ann@example.test", ct);

        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "ANN@example.test" }, ct);
        Assert.Equal(204, status);
        Assert.Null(body);
        var message = await mail.WaitForMailAsync("ann@example.test", ct);
        Assert.Equal("Verify your Acme <Test> email", message.Subject);
        Assert.Contains("Acme &lt;Test&gt;", message.HtmlBody, StringComparison.Ordinal); // inserted values are HTML-escaped
        Assert.Equal("no-reply@example.test", message.From.Mailboxes.Single().Address);
        var token = LinkToken(message, "verification");
        var claims = Claims(token);
        Assert.Equal("verification", claims["type"]!.GetValue<string>());
        Assert.Equal(id, claims["id"]!.GetValue<string>());
        Assert.Equal("_pb_users_auth_", claims["collectionId"]!.GetValue<string>());
        Assert.Equal("ann@example.test", claims["email"]!.GetValue<string>());

        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/confirm-verification", new { token }, ct)).Status);
        using var self = ClientWith(app, await TokenAsync(app, "ann@example.test", ct));
        var record = await GetJsonAsync(self, "/api/collections/users/records/" + id, ct);
        Assert.True(record["verified"]!.GetValue<bool>());

        // Already verified: a new request sends nothing.
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "ann@example.test" }, ct)).Status);
        await CreateUserAsync(app, "marker@example.test", ct);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "marker@example.test" }, ct)).Status);
        await mail.WaitForMailAsync("marker@example.test", ct);
        Assert.Equal(2, mail.ReceivedCount);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_tokens_and_bad_input_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // the server's clock: moved past the token's expiry below
        var (app, mail) = await StartAsync(db, postgres, ct, clock);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "bob@example.test", ct);
        using var su = await app.SuperuserClientAsync(ct);
        // A second auth collection with a 1 s verification token, and a base collection.
        await CreateAsync(su, new JsonObject { ["name"] = "members", ["type"] = "auth", ["createRule"] = "", ["verificationToken"] = new JsonObject { ["duration"] = 1 } }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "posts", ["type"] = "base" }, ct);
        await CreateUserAsync(app, "bob@example.test", ct, "members");

        const string confirm = "/api/collections/users/confirm-verification";
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/members/request-verification", new { email = "bob@example.test" }, ct)).Status);
        var memberToken = LinkToken(await mail.WaitForMailAsync("bob@example.test", ct), "verification");

        var (s1, b1) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = memberToken }, ct);
        Assert.Equal((400, "validation_token_collection_mismatch"), (s1, Code(b1, "token")));
        var (s2, b2) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = "not-a-token" }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s2, Code(b2, "token")));
        var (s3, b3) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = "" }, ct);
        Assert.Equal((400, "validation_required"), (s3, Code(b3, "token")));
        var (s4, b4) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = 42 }, ct);
        Assert.Equal((400, "validation_invalid_value"), (s4, Code(b4, "token")));

        // Tampered signature, then the same token after it expired (members: 1 s).
        var tampered = memberToken[..^2] + (memberToken[^2] == 'A' ? "BA" : "AA");
        var (s5, b5) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/members/confirm-verification", new { token = tampered }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s5, Code(b5, "token")));
        clock.Advance(TimeSpan.FromSeconds(2));
        var (s6, b6) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/members/confirm-verification", new { token = memberToken }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s6, Code(b6, "token")));

        // An auth token is not a verification token.
        var authToken = await TokenAsync(app, "bob@example.test", ct);
        var (s7, b7) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = authToken }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s7, Code(b7, "token")));

        var (s8, b8) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "not-an-email" }, ct);
        Assert.Equal((400, "validation_is_email"), (s8, Code(b8, "email")));
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/nope/request-verification", new { email = "bob@example.test" }, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/request-verification", new { email = "bob@example.test" }, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/confirm-verification", new { token = memberToken }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/_superusers/request-verification", new { email = PaperGaoApp.SuperuserEmail }, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Request_endpoints_answer_alike_for_unknown_emails(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "known@example.test", ct);
        using var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true, duration = 180, length = 8 } }, ct)).Status);

        foreach (var path in (string[])["request-verification", "request-password-reset"])
        {
            using var known = await app.Client.PostAsJsonAsync("/api/collections/users/" + path, new { email = "known@example.test" }, ct);
            using var unknown = await app.Client.PostAsJsonAsync("/api/collections/users/" + path, new { email = "unknown@example.test" }, ct);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, known.StatusCode);
            Assert.Equal(known.StatusCode, unknown.StatusCode);
            Assert.Equal(await known.Content.ReadAsStringAsync(ct), await unknown.Content.ReadAsStringAsync(ct));
            Assert.Equal(known.Content.Headers.ContentType, unknown.Content.Headers.ContentType);
        }
        var (sk, bk) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "known@example.test" }, ct);
        var (su2, bu) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "unknown@example.test" }, ct);
        Assert.Equal((200, 200), (sk, su2));
        Assert.Matches("^[a-z0-9]{15}$", bk!["otpId"]!.GetValue<string>());
        Assert.Matches("^[a-z0-9]{15}$", bu!["otpId"]!.GetValue<string>());
        Assert.Equal(bk.AsObject().Select(p => p.Key), bu.AsObject().Select(p => p.Key));

        // The known address got its three mails; the unknown one none.
        for (var i = 0; i < 3; i++) await mail.WaitForMailAsync("known@example.test", ct);
        Assert.Equal(3, mail.ReceivedCount);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_failing_smtp_server_is_logged_not_reported_and_the_server_keeps_serving(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await CreateUserAsync(app, "carl@example.test", ct);
        using var su = await app.SuperuserClientAsync(ct);
        // Port 1 on loopback: nothing listens there.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { enabled = true, host = "127.0.0.1", port = 1, username = "", password = "secret-smtp-password" } }, ct)).Status);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "carl@example.test" }, ct)).Status);
        var (s, b) = await SendAsync(su, HttpMethod.Post, "/api/settings/test/email", new { email = "carl@example.test", template = "verification", collection = "users" }, ct);
        Assert.Equal(400, s);
        Assert.DoesNotContain("secret-smtp-password", b!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/health", null, ct)).Status);
    }
}
