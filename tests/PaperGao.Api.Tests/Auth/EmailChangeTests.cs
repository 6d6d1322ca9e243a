using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class EmailChangeTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Change_goes_through_the_new_address_and_needs_the_password(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "eve@example.test", ct);
        await CreateUserAsync(app, "taken@example.test", ct);
        var token = await TokenAsync(app, "eve@example.test", ct);
        using var eve = ClientWith(app, token);
        const string request = "/api/collections/users/request-email-change";

        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, request, new { newEmail = "eve2@example.test" }, ct)).Status);
        using var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(403, (await SendAsync(su, HttpMethod.Post, request, new { newEmail = "eve2@example.test" }, ct)).Status);
        var (s1, b1) = await SendAsync(eve, HttpMethod.Post, request, new { newEmail = "nope" }, ct);
        Assert.Equal((400, "validation_is_email"), (s1, Code(b1, "newEmail")));
        var (s2, b2) = await SendAsync(eve, HttpMethod.Post, request, new { newEmail = "TAKEN@example.test" }, ct);
        Assert.Equal((400, "validation_invalid_new_email"), (s2, Code(b2, "newEmail")));
        var (s3, b3) = await SendAsync(eve, HttpMethod.Post, request, new { newEmail = "eve@example.test" }, ct);
        Assert.Equal((400, "validation_invalid_new_email"), (s3, Code(b3, "newEmail")));

        Assert.Equal(204, (await SendAsync(eve, HttpMethod.Post, request, new { newEmail = "eve2@example.test" }, ct)).Status);
        var message = await mail.WaitForMailAsync("eve2@example.test", ct);
        var changeToken = LinkToken(message, "email-change");
        var claims = Claims(changeToken);
        Assert.Equal(("emailChange", "eve@example.test", "eve2@example.test"),
            (claims["type"]!.GetValue<string>(), claims["email"]!.GetValue<string>(), claims["newEmail"]!.GetValue<string>()));

        const string confirm = "/api/collections/users/confirm-email-change";
        var (s4, b4) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = changeToken, password = "wrong-password" }, ct);
        Assert.Equal((400, "validation_invalid_password"), (s4, Code(b4, "password")));
        var (s5, b5) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = token, password = Password }, ct);
        Assert.Equal((400, "validation_invalid_token_payload"), (s5, Code(b5, "token"))); // an auth token is not a change token (PocketBase's code)
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = changeToken, password = Password }, ct)).Status);

        Assert.Equal(400, (await SignInAsync(app, "eve@example.test", Password, ct)).Status);
        var (ok, auth) = await SignInAsync(app, "eve2@example.test", Password, ct);
        Assert.Equal(200, ok);
        Assert.True(auth!["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal(401, (await SendAsync(eve, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status); // tokenKey rotated
        var (s6, b6) = await SendAsync(app.Client, HttpMethod.Post, confirm, new { token = changeToken, password = Password }, ct);
        Assert.Equal((400, "validation_invalid_token"), (s6, Code(b6, "token"))); // single use
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Confirm_fails_when_the_new_email_was_taken_meanwhile(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "fay@example.test", ct);
        using var fay = ClientWith(app, await TokenAsync(app, "fay@example.test", ct));
        Assert.Equal(204, (await SendAsync(fay, HttpMethod.Post, "/api/collections/users/request-email-change", new { newEmail = "new@example.test" }, ct)).Status);
        var changeToken = LinkToken(await mail.WaitForMailAsync("new@example.test", ct), "email-change");
        await CreateUserAsync(app, "new@example.test", ct);
        var (s, b) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/confirm-email-change", new { token = changeToken, password = Password }, ct);
        Assert.Equal((400, "validation_invalid_new_email"), (s, Code(b, "token")));
        var (s2, b2) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/confirm-email-change", new { token = changeToken }, ct);
        Assert.Equal((400, "validation_required"), (s2, Code(b2, "password")));
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/nope/confirm-email-change", new { token = changeToken, password = Password }, ct)).Status);
    }
}
