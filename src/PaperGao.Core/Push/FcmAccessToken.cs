using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// OAuth2 access tokens for FCM's HTTP v1 API (RFC 7523 JWT bearer grant, as Google's service accounts use it): an
/// RS256 JWT {iss: client_email, scope: firebase.messaging, aud: the token URL, iat, exp: iat + 1 h} signed with the
/// account's key, exchanged at the token URL. Tokens are cached per account, key and token URL until a minute before
/// they expire, so a send to many devices makes one exchange.
/// </summary>
public static class FcmAccessToken
{
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The most of a token answer read.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    private static readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> Cache = new(StringComparer.Ordinal);

    /// <summary>The result of one exchange: a token, or whether trying again later may help, and the service's words.</summary>
    public readonly record struct Result(string? Token, bool Retryable, string Error, TimeSpan? RetryAfter = null);

    /// <summary>A cached token, or a new one from the token URL.</summary>
    public static async Task<Result> GetAsync(FcmServiceAccount account, string tokenUrl, HttpClient client, CancellationToken ct)
    {
        var key = CacheKey(account, tokenUrl);
        if (Cache.TryGetValue(key, out var cached) && cached.Expires > DateTimeOffset.UtcNow.AddMinutes(1)) return new Result(cached.Token, false, "");
        using var rsa = account.TryCreateKey();
        if (rsa is null) return new Result(null, false, "The service account's private key is not usable.");
        var now = DateTimeOffset.UtcNow;
        var assertion = CreateAssertion(account, rsa, tokenUrl, now);
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", GrantType), new("assertion", assertion)]),
        };
        try
        {
            using var response = await OutboundHttp.SendAsync(request, ct, client);
            var status = (int)response.StatusCode;
            string text;
            try { text = Encoding.UTF8.GetString(await OutboundHttp.ReadLimitedAsync(response, MaxAnswerBytes, ct)); }
            catch (OutboundException) { return new Result(null, false, "The token answer was too large."); }
            if (status == 429 || status >= 500) return new Result(null, true, $"The token exchange answered {status}.", PushHttp.RetryAfter(response));
            if (status is < 200 or >= 300) return new Result(null, false, $"The token exchange was refused ({status}): " + PushHttp.Excerpt(text));
            string? token = null;
            var lifetime = 3600L;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String) token = t.GetString();
                if (doc.RootElement.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var secs) && secs > 0) lifetime = secs;
            }
            catch (JsonException) { }
            if (string.IsNullOrEmpty(token)) return new Result(null, false, "The token answer had no access_token.");
            Cache[key] = (token, now.AddSeconds(lifetime));
            return new Result(token, false, "");
        }
        catch (OutboundException e) { return new Result(null, false, e.Message); }
        catch (HttpRequestException) { return new Result(null, true, "The token URL could not be reached."); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return new Result(null, true, "The token exchange timed out."); }
    }

    /// <summary>Forgets a token the API refused (401), so the next delivery exchanges a new one.</summary>
    public static void Forget(FcmServiceAccount account, string tokenUrl, string token)
    {
        var key = CacheKey(account, tokenUrl);
        if (Cache.TryGetValue(key, out var cached) && cached.Token == token) Cache.TryRemove(key, out _);
    }

    public static string CreateAssertion(FcmServiceAccount account, RSA rsa, string tokenUrl, DateTimeOffset now)
    {
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("alg", "RS256");
            w.WriteString("typ", "JWT");
            if (account.PrivateKeyId.Length > 0) w.WriteString("kid", account.PrivateKeyId);
            w.WriteEndObject();
        }
        using var claims = new MemoryStream();
        using (var w = new Utf8JsonWriter(claims))
        {
            w.WriteStartObject();
            w.WriteString("iss", account.ClientEmail);
            w.WriteString("scope", Scope);
            w.WriteString("aud", tokenUrl);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", now.AddHours(1).ToUnixTimeSeconds());
            w.WriteEndObject();
        }
        return PushHttp.Jwt(header.ToArray(), claims.ToArray(), input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string CacheKey(FcmServiceAccount account, string tokenUrl) =>
        tokenUrl + "\n" + account.ClientEmail + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account.PrivateKeyPem)));
}
