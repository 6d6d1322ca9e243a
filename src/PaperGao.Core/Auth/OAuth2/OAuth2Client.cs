using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>
/// A provider as configured for one collection, endpoints resolved (configured URL, else the built-in one, else the
/// OIDC discovery document). Builds the authorization URL, exchanges the code and fetches the user. Every call goes
/// to one of these resolved URLs only.
/// </summary>
public sealed class OAuth2Client
{
    public required OAuth2ProviderDefinition Definition { get; init; }
    public required OAuth2ProviderConfig Config { get; init; }
    public required string AuthUrl { get; init; }
    public required string TokenUrl { get; init; }
    public required string UserInfoUrl { get; init; }
    public required string Issuer { get; init; }
    public required string JwksUrl { get; init; }

    /// <summary>The server's clock: token expiry, the id_token's exp and the provider document caches read it.</summary>
    public required TimeProvider Clock { get; init; }

    public bool Pkce => Config.Pkce ?? Definition.Pkce;
    public string DisplayName => Config.DisplayName.Length > 0 ? Config.DisplayName : Definition.DisplayName;
    public bool ChecksIdToken => Definition.UsesIdToken || (Definition.Discovery && Issuer.Length > 0 && JwksUrl.Length > 0);

    /// <summary>
    /// OpenID Connect providers with PKCE get a nonce, derived from the code verifier so nothing is stored server-side:
    /// the client sends the verifier back, and the id_token must carry the nonce made from it (security.md item 4).
    /// </summary>
    public bool SendsNonce => ChecksIdToken && Pkce;

    /// <summary>The nonce for a code verifier: base64url(SHA-256("papergao-oidc-nonce:" + verifier)).</summary>
    public static string NonceFor(string codeVerifier) => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("papergao-oidc-nonce:" + codeVerifier)));

    /// <summary>The client, or null when the provider is unknown or can't be resolved (missing URLs, discovery failed).</summary>
    /// <param name="clock">The server's clock (the project's <c>Time</c>).</param>
    public static async Task<OAuth2Client?> ResolveAsync(OAuth2ProviderConfig config, TimeProvider clock, CancellationToken ct)
    {
        if (OAuth2Providers.Find(config.Name) is not { } def || config.ClientId.Length == 0) return null;
        string Pick(string configured, string builtIn) => configured.Length > 0 ? configured : builtIn;
        var auth = Pick(config.AuthUrl, def.AuthUrl);
        var token = Pick(config.TokenUrl, def.TokenUrl);
        var user = Pick(config.UserInfoUrl, def.UserInfoUrl);
        var issuer = Pick(Extra(config, "issuer"), def.Issuer);
        var jwks = Pick(Extra(config, "jwksURL"), def.JwksUrl);
        if (def.Discovery)
        {
            var discovery = Extra(config, "discoveryURL");
            if (discovery.Length == 0 && issuer.Length > 0) discovery = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            if (discovery.Length > 0 && (auth.Length == 0 || token.Length == 0 || (user.Length == 0 && jwks.Length == 0) || issuer.Length == 0 || jwks.Length == 0))
            {
                if (!OAuth2Http.IsHttpUrl(discovery) || await OAuth2Cache.GetAsync(discovery, clock, ct) is not { } doc) return null;
                auth = Pick(auth, OAuth2Providers.S(doc["authorization_endpoint"]));
                token = Pick(token, OAuth2Providers.S(doc["token_endpoint"]));
                user = Pick(user, OAuth2Providers.S(doc["userinfo_endpoint"]));
                issuer = Pick(issuer, OAuth2Providers.S(doc["issuer"]));
                jwks = Pick(jwks, OAuth2Providers.S(doc["jwks_uri"]));
            }
        }
        if (!OAuth2Http.IsHttpUrl(auth) || !OAuth2Http.IsHttpUrl(token)) return null;
        if (user.Length > 0 && !OAuth2Http.IsHttpUrl(user)) return null;
        if (jwks.Length > 0 && !OAuth2Http.IsHttpUrl(jwks)) return null;
        if (user.Length == 0 && !(def.UsesIdToken || (issuer.Length > 0 && jwks.Length > 0))) return null;
        return new OAuth2Client { Definition = def, Config = config, AuthUrl = auth, TokenUrl = token, UserInfoUrl = user, Issuer = issuer, JwksUrl = jwks, Clock = clock };
    }

    private static string Extra(OAuth2ProviderConfig c, string key) => OAuth2Providers.S(c.Extra[key]);

    /// <summary>
    /// The authorization URL ending in "&amp;redirect_uri=" (protocol.md §5.3), with a nonce for OpenID Connect
    /// providers (<see cref="SendsNonce"/>), and the PKCE pair ("" without PKCE).
    /// </summary>
    public (string Url, string Verifier, string Challenge) BuildAuthUrl(string state)
    {
        var verifier = Pkce ? RandomString.Alphanumeric(43) : "";
        var challenge = Pkce ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : "";
        var q = new StringBuilder(AuthUrl).Append(AuthUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        q.Append("client_id=").Append(Uri.EscapeDataString(Config.ClientId));
        if (Pkce) q.Append("&code_challenge=").Append(challenge).Append("&code_challenge_method=S256");
        if (Definition.ExtraAuthQuery.Length > 0) q.Append('&').Append(Definition.ExtraAuthQuery);
        q.Append("&response_type=code&scope=").Append(Uri.EscapeDataString(Definition.Scopes));
        if (SendsNonce) q.Append("&nonce=").Append(NonceFor(verifier));
        q.Append("&state=").Append(Uri.EscapeDataString(state)).Append("&redirect_uri=");
        return (q.ToString(), verifier, challenge);
    }

    /// <summary>Exchanges the code; null when the provider refuses or can't be reached.</summary>
    public async Task<OAuth2Token?> ExchangeAsync(string code, string codeVerifier, string redirectUrl, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUrl),
            new("client_id", Config.ClientId), new("client_secret", Config.ClientSecret),
        };
        if (codeVerifier.Length > 0) form.Add(new("code_verifier", codeVerifier));
        var json = await OAuth2Http.PostFormAsync(TokenUrl, form, ct);
        var access = OAuth2Providers.S(json?["access_token"]);
        if (json is null || access.Length == 0) return null;
        DateTimeOffset? expiry = json["expires_in"] is JsonValue ev && ev.TryGetValue<double>(out var secs) && secs > 0
            ? Clock.GetUtcNow().AddSeconds(secs) : null;
        return new OAuth2Token(access, OAuth2Providers.S(json["refresh_token"]), expiry, OAuth2Providers.S(json["id_token"]));
    }

    /// <summary>
    /// The user behind a token; null when it can't be fetched, or when an id_token fails its checks (including the
    /// nonce made from <paramref name="codeVerifier"/>, when the provider gets one).
    /// </summary>
    public async Task<OAuth2User?> FetchUserAsync(OAuth2Token token, string codeVerifier, CancellationToken ct)
    {
        JsonObject? claims = null;
        if (ChecksIdToken)
        {
            if (token.IdToken.Length == 0)
            {
                if (Definition.UsesIdToken) return null;
            }
            else
            {
                claims = await IdTokenValidator.ValidateAsync(token.IdToken, Issuer, Config.ClientId, JwksUrl, Clock, ct);
                if (claims is null || (SendsNonce && !NonceMatches(claims, codeVerifier))) return null;
            }
        }
        JsonObject? raw = null;
        if (UserInfoUrl.Length > 0)
        {
            raw = await OAuth2Http.GetJsonAsync(UserInfoUrl, token.AccessToken, ct);
            if (raw is null) return null;
            // The userinfo subject must be the id_token's (OpenID Connect Core 5.3.2).
            if (claims is not null && OAuth2Providers.S(raw["sub"]) != OAuth2Providers.S(claims["sub"])) return null;
        }
        raw ??= claims;
        if (raw is null) return null;
        var user = Definition.Map(raw);
        if (Definition.Name == "github") user = await WithGitHubVerifiedEmailAsync(user, token.AccessToken, ct);
        if (user.Id.Length == 0) return null;
        user.AccessToken = token.AccessToken;
        user.RefreshToken = token.RefreshToken;
        user.Expiry = token.Expiry;
        return user;
    }

    private static bool NonceMatches(JsonObject claims, string codeVerifier)
    {
        var nonce = OAuth2Providers.S(claims["nonce"]);
        if (codeVerifier.Length == 0 || nonce.Length == 0) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(NonceFor(codeVerifier)));
    }

    /// <summary>GitHub: the primary verified address of GET {userInfoURL}/emails, if any.</summary>
    private async Task<OAuth2User> WithGitHubVerifiedEmailAsync(OAuth2User user, string accessToken, CancellationToken ct)
    {
        if (await OAuth2Http.GetNodeAsync(UserInfoUrl.TrimEnd('/') + "/emails", accessToken, ct) is not JsonArray emails) return user;
        var primary = emails.OfType<JsonObject>().FirstOrDefault(e => OAuth2Providers.True(e["primary"]) && OAuth2Providers.True(e["verified"]));
        if (primary is null) return new OAuth2User { Id = user.Id, Name = user.Name, Username = user.Username, Email = user.Email, AvatarUrl = user.AvatarUrl, RawUser = user.RawUser };
        return new OAuth2User { Id = user.Id, Name = user.Name, Username = user.Username, Email = OAuth2Providers.S(primary["email"]), AvatarUrl = user.AvatarUrl, EmailVerified = true, RawUser = user.RawUser };
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
