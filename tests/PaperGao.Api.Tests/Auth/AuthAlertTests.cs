using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class AuthAlertTests(PostgresCluster postgres)
{
    private static HttpClient Device(PaperGaoApp app, string userAgent)
    {
        var c = app.CreateClient();
        c.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);
        return c;
    }

    private static async Task<(int Status, JsonNode? Body)> SignInFromAsync(HttpClient device, string email, CancellationToken ct) =>
        await SendAsync(device, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = email, password = Password }, ct);

    private static async Task<JsonArray> OriginsAsync(HttpClient su, string recordId, CancellationToken ct) =>
        (await GetJsonAsync(su, $"/api/collections/_authOrigins/records?filter=(recordRef='{recordId}')", ct))["items"]!.AsArray();

    /// <summary>Sends a verification mail to a fresh marker user and waits for it: every mail sent before it has arrived too.</summary>
    private static async Task FlushAsync(PaperGaoApp app, TestMailServer mail, string marker, CancellationToken ct)
    {
        await CreateUserAsync(app, marker, ct);
        Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = marker }, ct)).Status);
        await mail.WaitForMailAsync(marker, ct);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Only_a_sign_in_from_a_new_device_of_a_known_user_alerts(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        using var su = await app.SuperuserClientAsync(ct);
        var id = await CreateUserAsync(app, "ann@example.test", ct);
        using var laptop = Device(app, "Laptop/1.0");
        using var phone = Device(app, "Phone/2.0 <script>");

        // First sign-in: an origin row, no mail. The same device again: still one row, no mail.
        Assert.Equal(200, (await SignInFromAsync(laptop, "ann@example.test", ct)).Status);
        var first = await OriginsAsync(su, id, ct);
        Assert.Single(first);
        Assert.Equal("_pb_users_auth_", first[0]!["collectionRef"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", first[0]!["fingerprint"]!.GetValue<string>());
        Assert.Equal(200, (await SignInFromAsync(laptop, "ann@example.test", ct)).Status);
        Assert.Single(await OriginsAsync(su, id, ct));
        await FlushAsync(app, mail, "marker1@example.test", ct);
        Assert.Equal(1, mail.ReceivedCount);

        // A new user agent: a second row and one alert mail with the device info (escaped), no secrets.
        var (status, body) = await SignInFromAsync(phone, "ann@example.test", ct);
        Assert.Equal(200, status);
        var alert = await mail.WaitForMailAsync("ann@example.test", ct);
        Assert.Equal("Login from a new location", alert.Subject);
        Assert.Contains("Phone/2.0 &lt;script&gt;", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;Test&gt;", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", alert.HtmlBody);
        Assert.DoesNotContain(Password, alert.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(body!["token"]!.GetValue<string>(), alert.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(2, (await OriginsAsync(su, id, ct)).Count);

        // auth-refresh from yet another device records nothing and sends nothing.
        using var tablet = Device(app, "Tablet/3.0");
        tablet.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", body["token"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(tablet, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status);
        Assert.Equal(2, (await OriginsAsync(su, id, ct)).Count);

        // The owner lists their own origins; another user sees none of them.
        using var self = ClientWith(app, body["token"]!.GetValue<string>());
        var own = await GetJsonAsync(self, "/api/collections/_authOrigins/records", ct);
        Assert.Equal(2, own["items"]!.AsArray().Count);
        Assert.All(own["items"]!.AsArray(), o => Assert.Equal(id, o!["recordRef"]!.GetValue<string>()));
        await CreateUserAsync(app, "bob@example.test", ct);
        using var bob = ClientWith(app, await TokenAsync(app, "bob@example.test", ct));
        var others = await GetJsonAsync(bob, "/api/collections/_authOrigins/records", ct);
        Assert.All(others["items"]!.AsArray(), o => Assert.NotEqual(id, o!["recordRef"]!.GetValue<string>()));
        var (viewStatus, _) = await SendAsync(bob, HttpMethod.Get, "/api/collections/_authOrigins/records/" + own["items"]![0]!["id"]!.GetValue<string>(), null, ct);
        Assert.Equal(404, viewStatus);

        // A password change forgets the origins: the next sign-in is a first one again (no alert).
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + id,
            new { password = "new-password-456", passwordConfirm = "new-password-456" }, ct)).Status);
        await Eventually.UntilAsync(async () => (await OriginsAsync(su, id, ct)).Count == 0, ct);
        await FlushAsync(app, mail, "marker2@example.test", ct);
        Assert.Equal(3, mail.ReceivedCount);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Disabled_alerts_send_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        using var su = await app.SuperuserClientAsync(ct);
        var (ps, pb) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { authAlert = new { enabled = false } }, ct);
        Assert.True(ps == 200, $"patch failed: {ps} {pb}");
        var id = await CreateUserAsync(app, "ann@example.test", ct);
        using var laptop = Device(app, "Laptop/1.0");
        using var phone = Device(app, "Phone/2.0");
        Assert.Equal(200, (await SignInFromAsync(laptop, "ann@example.test", ct)).Status);
        Assert.Equal(200, (await SignInFromAsync(phone, "ann@example.test", ct)).Status);
        Assert.Equal(2, (await OriginsAsync(su, id, ct)).Count);
        await FlushAsync(app, mail, "marker@example.test", ct);
        Assert.Equal(1, mail.ReceivedCount);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_failing_smtp_server_does_not_fail_the_sign_in(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        var id = await CreateUserAsync(app, "ann@example.test", ct);
        using var laptop = Device(app, "Laptop/1.0");
        using var phone = Device(app, "Phone/2.0");
        Assert.Equal(200, (await SignInFromAsync(laptop, "ann@example.test", ct)).Status);
        await mail.DisposeAsync(); // SMTP down
        var (status, body) = await SignInFromAsync(phone, "ann@example.test", ct);
        Assert.Equal(200, status);
        Assert.Equal(id, body!["record"]!["id"]!.GetValue<string>());
        using var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(2, (await OriginsAsync(su, id, ct)).Count);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_otp_sign_in_from_a_new_device_alerts_too(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        using var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true } }, ct)).Status);
        await CreateUserAsync(app, "ann@example.test", ct);
        using var laptop = Device(app, "Laptop/1.0");
        using var phone = Device(app, "Phone/2.0");
        Assert.Equal(200, (await SignInFromAsync(laptop, "ann@example.test", ct)).Status);

        var (rs, rb) = await SendAsync(phone, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "ann@example.test" }, ct);
        Assert.Equal(200, rs);
        var code = OtpCode(await mail.WaitForMailAsync("ann@example.test", ct));
        var (status, _) = await SendAsync(phone, HttpMethod.Post, "/api/collections/users/auth-with-otp", new { otpId = rb!["otpId"]!.GetValue<string>(), password = code }, ct);
        Assert.Equal(200, status);
        var alert = await mail.WaitForMailAsync("ann@example.test", ct);
        Assert.Equal("Login from a new location", alert.Subject);
        Assert.Contains("Phone/2.0", alert.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(code, alert.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fingerprint_depends_on_user_agent_and_ip()
    {
        var a = PaperGao.Api.Auth.AuthAlerts.Fingerprint("UA", "10.0.0.1");
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, PaperGao.Api.Auth.AuthAlerts.Fingerprint("UA", "10.0.0.2"));
        Assert.NotEqual(a, PaperGao.Api.Auth.AuthAlerts.Fingerprint("UA2", "10.0.0.1"));
        Assert.Equal(a, PaperGao.Api.Auth.AuthAlerts.Fingerprint("UA", "10.0.0.1"));
    }
}
