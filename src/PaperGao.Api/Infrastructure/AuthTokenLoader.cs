using PaperGao.Core.Auth;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// Resolves an "Authorization: [Bearer ]&lt;jwt&gt;" header to the auth record. A missing, malformed, expired or
/// wrongly signed token is not an error: the request continues as a guest (protocol.md §1.1).
/// </summary>
public static class AuthTokenLoader
{
    public static async Task<Record?> LoadAsync(Project project, string? header, CancellationToken ct) =>
        (await LoadCheckedAsync(project, header, ct)).Record;

    /// <summary>
    /// The auth record of a valid token whose record still satisfies the collection's authRule (AuthRuleGate);
    /// RefusedByAuthRule tells a valid token of a record the rule now refuses (the request continues as a guest).
    /// </summary>
    public static async Task<(Record? Record, bool RefusedByAuthRule)> LoadCheckedAsync(Project project, string? header, CancellationToken ct, DateTimeOffset? now = null)
    {
        if (string.IsNullOrWhiteSpace(header)) return (null, false);
        var token = header.Trim();
        if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token[7..].Trim();
        var record = await VerifyAsync(project, token, "auth", ct, now);
        if (record is null) return (null, false);
        return await AuthRuleGate.AllowsAsync(project, record, ct) ? (record, false) : (null, true);
    }

    /// <summary>Verifies a token of the given type against its record's tokenKey and the collection secret for that type.</summary>
    /// <param name="now">The request's clock; null: the project's (the same TimeProvider).</param>
    public static async Task<Record?> VerifyAsync(Project project, string token, string type, CancellationToken ct, DateTimeOffset? now = null)
    {
        var claims = Jwt.ReadUnverified(token);
        if (claims is null || claims.Type != type || claims.Id.Length == 0) return null;
        var collection = project.Collections.FindById(claims.CollectionId);
        if (collection?.Auth is null) return null;
        var record = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, collection, claims.Id, ct), ct);
        if (record is null) return null;
        var secret = type switch
        {
            "auth" => collection.Auth.AuthToken.Secret,
            "file" => collection.Auth.FileToken.Secret,
            "verification" => collection.Auth.VerificationToken.Secret,
            "passwordReset" => collection.Auth.PasswordResetToken.Secret,
            "emailChange" => collection.Auth.EmailChangeToken.Secret,
            _ => null,
        };
        if (secret is null) return null;
        return Jwt.Verify(token, record.GetString("tokenKey") + secret, now ?? project.Time.GetUtcNow()) ? record : null;
    }
}
