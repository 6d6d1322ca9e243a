using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaperGao.Core.Auth;

/// <summary>
/// HS256 JWTs exactly as PocketBase signs them: header {"alg":"HS256","typ":"JWT"}, no iat, keys sorted,
/// signing key = record tokenKey + collection secret of the token type.
/// </summary>
public static class Jwt
{
    private static readonly string Header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);

    /// <summary>Signs claims (written in the given order; pass them sorted by key).</summary>
    public static string Sign(IEnumerable<KeyValuePair<string, object>> claims, string signingKey)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (k, v) in claims)
            {
                switch (v)
                {
                    case string s: w.WriteString(k, s); break;
                    case bool b: w.WriteBoolean(k, b); break;
                    case long l: w.WriteNumber(k, l); break;
                    case int i: w.WriteNumber(k, i); break;
                    default: throw new ArgumentException($"Unsupported claim type for {k}.");
                }
            }
            w.WriteEndObject();
        }
        var payload = Base64Url(ms.ToArray());
        var unsigned = Header + "." + payload;
        return unsigned + "." + Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(unsigned)));
    }

    /// <summary>Reads the claims without verifying (to find the record and its key). Null when malformed.</summary>
    public static TokenClaims? ReadUnverified(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || token.Length > 4096) return null;
        try
        {
            using var doc = JsonDocument.Parse(FromBase64Url(parts[1]));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            string Str(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var exp = root.TryGetProperty("exp", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var x) ? x : 0;
            var refreshable = root.TryGetProperty("refreshable", out var r) && r.ValueKind == JsonValueKind.True;
            return new TokenClaims(Str("type"), Str("id"), Str("collectionId"), exp, refreshable, Str("email"), Str("newEmail"));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Verifies the HS256 signature (constant time) and expiry.</summary>
    public static bool Verify(string token, string signingKey, DateTimeOffset now)
    {
        var lastDot = token.LastIndexOf('.');
        if (lastDot <= 0) return false;
        byte[] sig;
        try { sig = FromBase64Url(token[(lastDot + 1)..]); }
        catch (FormatException) { return false; }
        if (!HeaderIsHs256(token[..token.IndexOf('.', StringComparison.Ordinal)])) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(token[..lastDot]));
        if (!CryptographicOperations.FixedTimeEquals(expected, sig)) return false;
        var claims = ReadUnverified(token);
        return claims is not null && claims.Exp > now.ToUnixTimeSeconds();
    }

    /// <summary>
    /// The header must be a JSON object whose "alg" is exactly "HS256" (as PocketBase/golang-jwt check it);
    /// "typ" is optional. Any other alg (including "none" or a case variant) is refused before the signature is looked at.
    /// </summary>
    private static bool HeaderIsHs256(string encodedHeader)
    {
        if (encodedHeader.Length is 0 or > 1024) return false;
        try
        {
            using var doc = JsonDocument.Parse(FromBase64Url(encodedHeader));
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String
                && alg.ValueEquals("HS256"u8);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }
    }

    private static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        b += (b.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(b);
    }
}
