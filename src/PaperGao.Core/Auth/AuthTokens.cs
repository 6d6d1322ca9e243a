using PaperGao.Core.Records;

namespace PaperGao.Core.Auth;

/// <summary>Issues the tokens of protocol.md §5.2 for an auth record.</summary>
public static class AuthTokens
{
    /// <summary>An auth token; refreshable false for impersonation. Duration 0 = the collection's auth token duration.</summary>
    public static string NewAuthToken(Record record, bool refreshable = true, long durationSeconds = 0)
    {
        var cfg = record.Collection.Auth?.AuthToken ?? throw new InvalidOperationException("Not an auth collection.");
        var exp = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + (durationSeconds > 0 ? durationSeconds : cfg.Duration);
        return Jwt.Sign(
        [
            new("collectionId", record.Collection.Id),
            new("exp", exp),
            new("id", record.Id),
            new("refreshable", refreshable),
            new("type", "auth"),
        ], record.GetString("tokenKey") + cfg.Secret);
    }
}
