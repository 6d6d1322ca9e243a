using PaperGao.Core.Collections;
using PaperGao.Core.Records;

namespace PaperGao.Core.Auth;

/// <summary>
/// Issues the tokens of protocol.md §5.2 for an auth record. <c>now</c> is always the server's clock (a request's
/// <c>ctx.UtcNow()</c>, or the project's <c>Time</c>), so tests move expiry with a fake clock.
/// </summary>
public static class AuthTokens
{
    public const string Auth = "auth";
    public const string Verification = "verification";
    public const string PasswordReset = "passwordReset";
    public const string EmailChange = "emailChange";
    public const string File = "file";

    /// <summary>A short-lived token for protected files (claims collectionId, exp, id, type "file"; protocol.md §7.2).</summary>
    public static string NewFileToken(Record record, DateTimeOffset now)
    {
        var cfg = record.Collection.Auth?.FileToken ?? throw new InvalidOperationException("Not an auth collection.");
        var exp = now.ToUnixTimeSeconds() + cfg.Duration;
        return Jwt.Sign(
        [
            new("collectionId", record.Collection.Id),
            new("exp", exp),
            new("id", record.Id),
            new("type", File),
        ], record.GetString("tokenKey") + cfg.Secret);
    }

    /// <summary>
    /// An auth token; refreshable false for impersonation. Duration 0 = the collection's auth token duration.
    /// </summary>
    public static string NewAuthToken(Record record, DateTimeOffset now, bool refreshable = true, long durationSeconds = 0)
    {
        var cfg = record.Collection.Auth?.AuthToken ?? throw new InvalidOperationException("Not an auth collection.");
        var exp = now.ToUnixTimeSeconds() + (durationSeconds > 0 ? durationSeconds : cfg.Duration);
        return Jwt.Sign(
        [
            new("collectionId", record.Collection.Id),
            new("exp", exp),
            new("id", record.Id),
            new("refreshable", refreshable),
            new("type", Auth),
        ], record.GetString("tokenKey") + cfg.Secret);
    }

    /// <summary>A verification token for the record's current email (claims id, collectionId, email).</summary>
    public static string NewVerificationToken(Record record, DateTimeOffset now) => EmailToken(record, Verification, record.GetString("email"), null, now);

    /// <summary>A password reset token for the record's current email.</summary>
    public static string NewPasswordResetToken(Record record, DateTimeOffset now) => EmailToken(record, PasswordReset, record.GetString("email"), null, now);

    /// <summary>An email change token carrying the current and the requested email.</summary>
    public static string NewEmailChangeToken(Record record, string newEmail, DateTimeOffset now) => EmailToken(record, EmailChange, record.GetString("email"), newEmail, now);

    /// <summary>The signing configuration (duration, secret) of a token type; null for an unknown type or a non-auth collection.</summary>
    public static TokenConfig? ConfigFor(Collection c, string type) => c.Auth is not { } a ? null : type switch
    {
        Auth => a.AuthToken,
        Verification => a.VerificationToken,
        PasswordReset => a.PasswordResetToken,
        EmailChange => a.EmailChangeToken,
        File => a.FileToken,
        _ => null,
    };

    /// <summary>Verifies a token of that type for that record: signature with tokenKey + the type's secret, and expiry.</summary>
    public static bool Verify(string token, Record record, string type, DateTimeOffset now) =>
        ConfigFor(record.Collection, type) is { } cfg && Jwt.Verify(token, record.GetString("tokenKey") + cfg.Secret, now);

    private static string EmailToken(Record record, string type, string email, string? newEmail, DateTimeOffset now)
    {
        var cfg = ConfigFor(record.Collection, type) ?? throw new InvalidOperationException("Not an auth collection.");
        var exp = now.ToUnixTimeSeconds() + cfg.Duration;
        List<KeyValuePair<string, object>> claims =
        [
            new("collectionId", record.Collection.Id),
            new("email", email),
            new("exp", exp),
            new("id", record.Id),
        ];
        if (newEmail is not null) claims.Add(new("newEmail", newEmail));
        claims.Add(new("type", type));
        return Jwt.Sign(claims, record.GetString("tokenKey") + cfg.Secret);
    }
}
