using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client auth: password, refresh, impersonate, OTP, MFA, verification, password reset, email change; the auth store.</summary>
public sealed class ClientAuthTests(PostgresCluster postgres)
{
    private sealed record User(string Id, string Email, bool Verified);

    [Theory]
    [DatabaseMatrix]
    public async Task Password_refresh_impersonate_and_the_auth_store(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        Assert.True(su.AuthStore.IsValid);
        Assert.True(su.AuthStore.IsSuperuser);

        var saved = new List<string>();
        var store = new AsyncAuthStore(s => { lock (saved) saved.Add(s); return Task.CompletedTask; });
        var changes = new List<string>();
        store.Changed += (_, e) => changes.Add(e.Token.Length == 0 ? "cleared" : "saved:" + e.Record?["email"]);
        using var pb = Guest(app, store);
        var users = pb.Collection<User>("users");
        var created = await users.CreateAsync(new { email = "ann@example.test", password = Password, passwordConfirm = Password }, cancellationToken: ct);

        var wrong = await Assert.ThrowsAsync<ClientResponseException>(() => users.AuthWithPasswordAsync("ann@example.test", "not-the-password", cancellationToken: ct));
        Assert.Equal(400, wrong.Status);
        Assert.False(store.IsValid);

        var auth = await users.AuthWithPasswordAsync("ann@example.test", Password, cancellationToken: ct);
        Assert.Equal(created.Id, auth.Record.Id);
        Assert.Equal(auth.Token, store.Token);
        Assert.True(store.IsValid);
        Assert.False(store.IsSuperuser);
        var refreshed = await users.AuthRefreshAsync(cancellationToken: ct);
        Assert.Equal(created.Id, refreshed.Record.Id);
        Assert.Equal(refreshed.Token, store.Token);

        // Updating the signed-in record refreshes the stored copy; the persistence hook saw every change in order.
        await pb.Collection("users").UpdateAsync(created.Id, new { emailVisibility = true }, cancellationToken: ct);
        Assert.True(store.Record!["emailVisibility"]!.GetValue<bool>());
        store.Clear();
        await store.PendingSave;
        Assert.Equal(["saved:ann@example.test", "saved:ann@example.test", "saved:ann@example.test", "cleared"], changes);
        Assert.Equal(4, saved.Count);
        Assert.Equal("", saved[^1]);
        var restored = new AuthStore();
        restored.LoadFromJson(saved[^2]);
        Assert.Equal(created.Id, restored.Record!["id"]!.GetValue<string>());

        // Impersonation hands back a second client; the superuser's own store is unchanged.
        using var asAnn = await su.Collection("users").ImpersonateAsync(created.Id, TimeSpan.FromMinutes(5), app.CreateClient(), cancellationToken: ct);
        Assert.True(su.AuthStore.IsSuperuser);
        Assert.Equal(created.Id, asAnn.AuthStore.Record!["id"]!.GetValue<string>());
        var self = await asAnn.Collection<User>("users").GetOneAsync(created.Id, cancellationToken: ct);
        Assert.Equal("ann@example.test", self.Email);
        var denied = await Assert.ThrowsAsync<ClientResponseException>(() => pb.Collection("users").ImpersonateAsync(created.Id, cancellationToken: ct));
        Assert.Equal(401, denied.Status);

        var methods = await users.ListAuthMethodsAsync(cancellationToken: ct);
        Assert.True(methods["password"]!["enabled"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Otp_mfa_verification_reset_and_email_change(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, mail) = await StartAsync(db, postgres, ct);
        await using var _ = app;
        await using var __ = mail;
        using var su = await SuperuserAsync(app, ct);
        using var pb = Guest(app);
        var users = pb.Collection<User>("users");
        var ann = await users.CreateAsync(new { email = "ann@example.test", password = Password, passwordConfirm = Password }, cancellationToken: ct);

        await users.RequestVerificationAsync("ann@example.test", cancellationToken: ct);
        var verifyToken = LinkToken(await mail.WaitForMailAsync("ann@example.test", ct), "verification");
        await users.AuthWithPasswordAsync("ann@example.test", Password, cancellationToken: ct);
        Assert.False(pb.AuthStore.Record!["verified"]!.GetValue<bool>());
        await users.ConfirmVerificationAsync(verifyToken, cancellationToken: ct);
        Assert.True(pb.AuthStore.Record!["verified"]!.GetValue<bool>());
        Assert.True((await users.GetOneAsync(ann.Id, cancellationToken: ct)).Verified);

        await users.RequestEmailChangeAsync("ann2@example.test", cancellationToken: ct);
        var changeToken = LinkToken(await mail.WaitForMailAsync("ann2@example.test", ct), "email-change");
        await users.ConfirmEmailChangeAsync(changeToken, Password, cancellationToken: ct);
        Assert.Equal("", pb.AuthStore.Token); // the old tokens are void: signed out

        await users.RequestPasswordResetAsync("ann2@example.test", cancellationToken: ct);
        var resetToken = LinkToken(await mail.WaitForMailAsync("ann2@example.test", ct), "password-reset");
        const string newPassword = "brand-new-password-1";
        var mismatch = await Assert.ThrowsAsync<ClientResponseException>(() => users.ConfirmPasswordResetAsync(resetToken, newPassword, "different-1", cancellationToken: ct));
        Assert.Equal("validation_values_mismatch", mismatch.FieldCode("passwordConfirm"));
        await users.ConfirmPasswordResetAsync(resetToken, newPassword, newPassword, cancellationToken: ct);

        // MFA: the password is the first factor, an OTP the second.
        await su.Collections.UpdateAsync("users", new { otp = new { enabled = true, duration = 180, length = 6 }, mfa = new { enabled = true, duration = 600, rule = "" } }, cancellationToken: ct);
        var first = await Assert.ThrowsAsync<ClientResponseException>(() => users.AuthWithPasswordAsync("ann2@example.test", newPassword, cancellationToken: ct));
        Assert.Equal(401, first.Status);
        Assert.False(string.IsNullOrEmpty(first.MfaId));
        var otpId = await users.RequestOtpAsync("ann2@example.test", cancellationToken: ct);
        var code = OtpCode(await mail.WaitForMailAsync("ann2@example.test", ct));
        var second = await users.AuthWithOtpAsync(otpId, code, first.MfaId, cancellationToken: ct);
        Assert.Equal(ann.Id, second.Record.Id);
        Assert.True(pb.AuthStore.IsValid);
    }
}
