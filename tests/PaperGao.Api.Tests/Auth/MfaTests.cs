using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>MFA (protocol.md §5.7): password then OTP, with the mfaId in the query or the body.</summary>
public sealed class MfaTests(PostgresCluster postgres)
{
    private static async Task EnableAsync(PaperGaoApp app, string rule, CancellationToken ct)
    {
        using var su = await app.SuperuserClientAsync(ct);
        var (s, b) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users",
            new { otp = new { enabled = true, duration = 180, length = 6 }, mfa = new { enabled = true, duration = 600, rule } }, ct);
        Assert.True(s == 200, $"{s} {b}");
    }

    private static async Task<string> OtpAsync(PaperGaoApp app, TestMailServer mail, string email, CancellationToken ct)
    {
        var (s, b) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email }, ct);
        Assert.Equal(200, s);
        return b!["otpId"]!.GetValue<string>() + "|" + OtpCode(await mail.WaitForMailAsync(email, ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Password_then_otp_completes_the_sign_in_once(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "mia@example.test", ct);
        await CreateUserAsync(app, "other@example.test", ct);
        await EnableAsync(app, "", ct);
        var (_, methods) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/users/auth-methods", null, ct);
        Assert.True(methods!["mfa"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(600, methods["mfa"]!["duration"]!.GetValue<int>());

        var (s1, first) = await SignInAsync(app, "mia@example.test", Password, ct);
        Assert.Equal(401, s1);
        var mfaId = first!["mfaId"]!.GetValue<string>();
        Assert.Null(first["token"]);
        Assert.Null(first["status"]); // not the error envelope: the SDKs read response.mfaId

        // The same method twice is refused; so is another record's session.
        var (s2, same) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/users/auth-with-password?mfaId={mfaId}", new { identity = "mia@example.test", password = Password }, ct);
        Assert.Equal(400, s2);
        Assert.Equal("A different authentication method is required.", same!["message"]!.GetValue<string>());
        var otherOtp = (await OtpAsync(app, mail, "other@example.test", ct)).Split('|');
        var (s3, foreign) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/users/auth-with-otp?mfaId={mfaId}", new { otpId = otherOtp[0], password = otherOtp[1] }, ct);
        Assert.Equal(400, s3);
        Assert.Equal("Invalid MFA session.", foreign!["message"]!.GetValue<string>());

        var otp = (await OtpAsync(app, mail, "mia@example.test", ct)).Split('|');
        var (ok, done) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId = otp[0], password = otp[1], mfaId }, ct);
        Assert.True(ok == 200, $"{ok} {done}");
        Assert.False(string.IsNullOrEmpty(done!["token"]!.GetValue<string>()));

        // The session is used up.
        var again = (await OtpAsync(app, mail, "mia@example.test", ct)).Split('|');
        var (s4, reused) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/users/auth-with-otp?mfaId={mfaId}", new { otpId = again[0], password = again[1] }, ct);
        Assert.Equal(400, s4);
        Assert.Equal("Invalid or expired MFA session.", reused!["message"]!.GetValue<string>());
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password?mfaId=nope", new { identity = "mia@example.test", password = Password }, ct)).Status);

        // A failed first factor never opens a session.
        var (s5, wrong) = await SignInAsync(app, "mia@example.test", "wrong-password-1", ct);
        Assert.Equal(400, s5);
        Assert.Null(wrong!["mfaId"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_mfa_rule_picks_the_records_that_need_a_second_factor(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        await CreateUserAsync(app, "plain@example.test", ct);
        var vip = await CreateUserAsync(app, "vip@example.test", ct);
        using (var su = await app.SuperuserClientAsync(ct))
            Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, $"/api/collections/users/records/{vip}", new { verified = true }, ct)).Status);
        await EnableAsync(app, "verified = true", ct);

        Assert.Equal(200, (await SignInAsync(app, "plain@example.test", Password, ct)).Status);
        Assert.Equal(401, (await SignInAsync(app, "vip@example.test", Password, ct)).Status);
        // auth-refresh never asks for a second factor.
        var plainToken = await TokenAsync(app, "plain@example.test", ct);
        using var client = ClientWith(app, plainToken);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status);
    }
}
