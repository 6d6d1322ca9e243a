using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using PaperGao.Core.Common;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>$security: random strings, hashes, HMAC, and HS256 JSON web tokens (PocketBase's names).</summary>
public sealed class JsSecurity(FunctionEngine engine)
{
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public string RandomString(int length) => RandomStringWithAlphabet(length, Alphanumeric);

    public string RandomStringWithAlphabet(int length, string alphabet)
    {
        if (length is < 0 or > 10_000) throw ApiError.BadRequest("The length must be between 0 and 10000.");
        if (string.IsNullOrEmpty(alphabet)) throw ApiError.BadRequest("The alphabet must not be empty.");
        return RandomNumberGenerator.GetString(alphabet, length);
    }

    public string PseudorandomString(int length) => RandomString(length);

    public string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
    public string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    public string Sha512(string text) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(text)));
    public string Hs256(string text, string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
    public string Hs512(string text, string secret) => Convert.ToHexStringLower(HMACSHA512.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));

    public bool Equal(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>An HS256 token with the payload's claims and exp = now + duration (seconds; 0 = no exp).</summary>
    public string CreateJWT(JsValue payload, string signingKey, double durationSeconds)
    {
        if (string.IsNullOrEmpty(signingKey)) throw ApiError.BadRequest("The signing key must not be empty.");
        var claims = JsConvert.ToNode(engine.Js, payload) as JsonObject ?? [];
        if (durationSeconds > 0) claims["exp"] = engine.Context.Time.GetUtcNow().ToUnixTimeSeconds() + (long)durationSeconds;
        var header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var body = Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes(header + "." + body)));
        return header + "." + body + "." + signature;
    }

    /// <summary>The claims of an HS256 token signed with the key, checking exp and nbf; throws on anything else.</summary>
    public JsValue ParseJWT(string token, string verificationKey)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw ApiError.BadRequest("Invalid token.");
        JsonObject? header;
        JsonObject? claims;
        try
        {
            header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            claims = JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw ApiError.BadRequest("Invalid token.");
        }
        if (header?["alg"]?.GetValue<string>() != "HS256" || claims is null) throw ApiError.BadRequest("Invalid token.");
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(verificationKey), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] given;
        try { given = FromBase64Url(parts[2]); }
        catch (FormatException) { throw ApiError.BadRequest("Invalid token."); }
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) throw ApiError.BadRequest("Invalid token signature.");
        var now = engine.Context.Time.GetUtcNow().ToUnixTimeSeconds();
        if (claims["exp"] is JsonValue exp && exp.TryGetValue<double>(out var e1) && e1 < now) throw ApiError.BadRequest("The token has expired.");
        if (claims["nbf"] is JsonValue nbf && nbf.TryGetValue<double>(out var n1) && n1 > now) throw ApiError.BadRequest("The token is not valid yet.");
        return JsConvert.FromNode(engine.Js, claims);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + ((4 - b.Length % 4) % 4), '='));
    }
}
