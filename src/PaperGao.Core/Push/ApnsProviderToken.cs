using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaperGao.Core.Push;

/// <summary>
/// APNs provider authentication tokens: an ES256 JWT {header: alg, kid = key id; claims: iss = team id, iat} signed
/// with the .p8 key. Apple refuses tokens older than an hour and throttles new ones made more often than every
/// 20 minutes, so a token is cached per key and replaced after <see cref="Lifetime"/>.
/// </summary>
public static class ApnsProviderToken
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(50);

    private static readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Issued)> Cache = new(StringComparer.Ordinal);

    public static string Get(ApnsKey key, ECDsa signer)
    {
        var cacheKey = CacheKey(key);
        var now = DateTimeOffset.UtcNow;
        if (Cache.TryGetValue(cacheKey, out var cached) && now - cached.Issued < Lifetime) return cached.Token;
        var token = Create(key, signer, now);
        Cache[cacheKey] = (token, now);
        return token;
    }

    /// <summary>Drops the cached token when APNs called it expired, so the next attempt signs a new one.</summary>
    public static void Forget(ApnsKey key, string token)
    {
        var cacheKey = CacheKey(key);
        if (Cache.TryGetValue(cacheKey, out var cached) && cached.Token == token) Cache.TryRemove(cacheKey, out _);
    }

    public static string Create(ApnsKey key, ECDsa signer, DateTimeOffset now)
    {
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("alg", "ES256");
            w.WriteString("kid", key.KeyId);
            w.WriteEndObject();
        }
        using var claims = new MemoryStream();
        using (var w = new Utf8JsonWriter(claims))
        {
            w.WriteStartObject();
            w.WriteString("iss", key.TeamId);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteEndObject();
        }
        // .NET signs in the IEEE P1363 form (r || s), which is JWS's ES256 signature encoding.
        return PushHttp.Jwt(header.ToArray(), claims.ToArray(), input => signer.SignData(input, HashAlgorithmName.SHA256));
    }

    private static string CacheKey(ApnsKey key) =>
        key.TeamId + "\n" + key.KeyId + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.PrivateKeyPem)));
}
