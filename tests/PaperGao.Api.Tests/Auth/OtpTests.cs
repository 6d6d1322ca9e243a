using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class OtpTests(PostgresCluster postgres)
{
    private static async Task EnableOtpAsync(PaperGaoApp app, CancellationToken ct, int duration = 180)
    {
        using var su = await app.SuperuserClientAsync(ct);
        var (s, b) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true, duration, length = 6 } }, ct);
        Assert.True(s == 200, $"{s} {b}");
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Otp_is_disabled_by_default(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        var users = await GetJsonAsync(su, "/api/collections/users", ct);
        Assert.False(users["otp"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("{OTP}", users["otp"]!["emailTemplate"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("{TOKEN}", users["verificationTemplate"]!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "a@example.test" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId = "x", password = "1" }, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Otp_signs_in_once_and_verifies(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        var id = await CreateUserAsync(app, "gil@example.test", ct);
        await EnableOtpAsync(app, ct);
        var (_, methods) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/users/auth-methods?fields=mfa,otp,password,oauth2", null, ct);
        Assert.True(methods!["otp"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(180, methods["otp"]!["duration"]!.GetValue<int>());

        var (s, b) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "gil@example.test" }, ct);
        Assert.Equal(200, s);
        var otpId = b!["otpId"]!.GetValue<string>();
        var message = await mail.WaitForMailAsync("gil@example.test", ct);
        Assert.Equal("OTP for Acme <Test>", message.Subject);
        var code = OtpCode(message);
        Assert.Matches("^[0-9]{6}$", code);

        const string url = "/api/collections/users/auth-with-otp";
        var wrong = code == "000000" ? "111111" : "000000";
        var (s1, b1) = await SendAsync(app.Client, HttpMethod.Post, url, new { otpId, password = wrong }, ct);
        Assert.Equal(400, s1);
        Assert.Equal("Invalid or expired OTP.", b1!["message"]!.GetValue<string>());
        var (s2, b2) = await SendAsync(app.Client, HttpMethod.Post, url, new { otpId }, ct);
        Assert.Equal((400, "validation_required"), (s2, Code(b2, "password")));

        var (ok, auth) = await SendAsync(app.Client, HttpMethod.Post, url, new { otpId, password = code }, ct);
        Assert.Equal(200, ok);
        Assert.Equal(id, auth!["record"]!["id"]!.GetValue<string>());
        Assert.True(auth["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal("auth", Claims(auth["token"]!.GetValue<string>())["type"]!.GetValue<string>());

        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { otpId, password = code }, ct)).Status); // single use

        // An otpId for an unknown email looks the same but signs nobody in.
        var (su, bu) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "ghost@example.test" }, ct);
        Assert.Equal(200, su);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { otpId = bu!["otpId"]!.GetValue<string>(), password = code }, ct)).Status);
        var (s3, b3) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "bad" }, ct);
        Assert.Equal((400, "validation_is_email"), (s3, Code(b3, "email")));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task More_than_five_wrong_codes_are_throttled(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (app, mail) = await StartAsync(db, postgres, ct, clock);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "hal@example.test", ct);
        await EnableOtpAsync(app, ct, duration: 600);
        var (_, b) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "hal@example.test" }, ct);
        var otpId = b!["otpId"]!.GetValue<string>();
        var code = OtpCode(await mail.WaitForMailAsync("hal@example.test", ct));
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
            Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = wrong }, ct)).Status);
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = wrong }, ct)).Status);
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = code }, ct)).Status);
        // The 180 s window moves with the server's clock, not the wall clock: 179 s later still refused, 181 s later open.
        clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = code }, ct)).Status);
        clock.Advance(TimeSpan.FromSeconds(2));
        var (s, signedIn) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = code }, ct);
        Assert.True(s == 200, signedIn?.ToJsonString());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_expired_otp_is_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (app, mail) = await StartAsync(db, postgres, ct, clock);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "ida@example.test", ct);
        using var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true, duration = 60, length = 8 } }, ct)).Status);
        var (_, b) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "ida@example.test" }, ct);
        var otpId = b!["otpId"]!.GetValue<string>();
        var code = OtpCode(await mail.WaitForMailAsync("ida@example.test", ct));
        // Move the server's clock past the 60 s lifetime (the OTP's created time is the wall clock's: start from it).
        clock.SetUtcNow(DateTimeOffset.UtcNow);
        clock.Advance(TimeSpan.FromSeconds(61));
        var (s, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId, password = code }, ct);
        Assert.Equal(400, s);
        Assert.Equal("Invalid or expired OTP.", body!["message"]!.GetValue<string>());
    }
}
