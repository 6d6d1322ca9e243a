using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>
/// Checks an OpenID Connect id_token (security.md item 4): RS256 signature against the provider's JWKS, issuer,
/// audience = our client id, expiry. Anything else (other algorithms, unknown key, missing claims) is refused.
/// </summary>
public static class IdTokenValidator
{
    /// <param name="clock">The server's clock (expiry, with 60 s of leeway, and the JWKS cache).</param>
    public static async Task<JsonObject?> ValidateAsync(string idToken, string issuer, string audience, string jwksUrl, TimeProvider clock, CancellationToken ct)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3 || issuer.Length == 0 || jwksUrl.Length == 0) return null;
        JsonObject? header, claims;
        byte[] signature;
        try
        {
            header = JsonNode.Parse(Decode(parts[0])) as JsonObject;
            claims = JsonNode.Parse(Decode(parts[1])) as JsonObject;
            signature = Decode(parts[2]);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
        if (header is null || claims is null || OAuth2Providers.S(header["alg"]) != "RS256") return null;
        if (OAuth2Providers.S(claims["iss"]) != issuer) return null;
        var aud = claims["aud"];
        var audOk = aud is JsonArray arr ? arr.Any(a => OAuth2Providers.S(a) == audience) : OAuth2Providers.S(aud) == audience;
        if (!audOk) return null;
        if (claims["exp"] is not JsonValue ev || !ev.TryGetValue<double>(out var exp)
            || DateTimeOffset.FromUnixTimeSeconds((long)exp) < clock.GetUtcNow().AddSeconds(-60)) return null;
        if (OAuth2Providers.S(claims["sub"]).Length == 0) return null;

        var kid = OAuth2Providers.S(header["kid"]);
        var candidates = await KeysAsync(jwksUrl, kid, clock, refresh: false, ct);
        if (candidates.Count == 0) candidates = await KeysAsync(jwksUrl, kid, clock, refresh: true, ct);
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        foreach (var k in candidates)
        {
            try
            {
                using var rsa = RSA.Create(new RSAParameters { Modulus = Decode(OAuth2Providers.S(k["n"])), Exponent = Decode(OAuth2Providers.S(k["e"])) });
                if (rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return claims;
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                // a malformed key is not a match
            }
        }
        return null;
    }

    private static async Task<List<JsonObject>> KeysAsync(string jwksUrl, string kid, TimeProvider clock, bool refresh, CancellationToken ct)
    {
        if (await OAuth2Cache.GetAsync(jwksUrl, clock, ct, refresh) is not { } jwks || jwks["keys"] is not JsonArray keys) return [];
        return [.. keys.OfType<JsonObject>().Where(k => OAuth2Providers.S(k["kty"]) == "RSA" && (kid.Length == 0 || OAuth2Providers.S(k["kid"]) == kid))];
    }

    private static byte[] Decode(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }
}
