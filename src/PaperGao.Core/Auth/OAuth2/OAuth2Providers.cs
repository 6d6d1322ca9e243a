using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>What a provider is: its default endpoints and scopes, whether it uses PKCE, and how its user JSON maps.</summary>
public sealed class OAuth2ProviderDefinition
{
    public required string Name { get; init; }
    public required string DisplayName { get; init; }
    public string AuthUrl { get; init; } = "";
    public string TokenUrl { get; init; } = "";
    public string UserInfoUrl { get; init; } = "";
    public string Scopes { get; init; } = "";
    public bool Pkce { get; init; } = true;

    /// <summary>Extra query of the authorization URL (Apple: response_mode=form_post).</summary>
    public string ExtraAuthQuery { get; init; } = "";

    /// <summary>The user comes from (or is checked against) a signed id_token: issuer, audience, expiry and signature.</summary>
    public bool UsesIdToken { get; init; }
    public string Issuer { get; init; } = "";
    public string JwksUrl { get; init; } = "";

    /// <summary>Generic OpenID Connect: endpoints from the discovery document when not configured.</summary>
    public bool Discovery { get; init; }

    public required Func<JsonObject, OAuth2User> Map { get; init; }

    /// <summary>The provider's badge as an SVG document (auth-methods and the providers list carry it, as PocketBase's "logo").</summary>
    public string Logo => ProviderLogo.For(DisplayName);
}

/// <summary>The built-in providers (google, github, gitlab, microsoft, discord, apple, oidc, oidc2, oidc3).</summary>
public static class OAuth2Providers
{
    private static readonly Dictionary<string, OAuth2ProviderDefinition> All = Build().ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static bool IsKnown(string name) => All.ContainsKey(name);

    /// <summary>Every built-in provider, by name.</summary>
    public static IEnumerable<OAuth2ProviderDefinition> Definitions => All.Values.OrderBy(d => d.Name, StringComparer.Ordinal);

    public static OAuth2ProviderDefinition? Find(string name) => All.GetValueOrDefault(name);

    private static IEnumerable<OAuth2ProviderDefinition> Build()
    {
        yield return new()
        {
            Name = "google", DisplayName = "Google",
            AuthUrl = "https://accounts.google.com/o/oauth2/v2/auth", TokenUrl = "https://oauth2.googleapis.com/token",
            UserInfoUrl = "https://www.googleapis.com/oauth2/v3/userinfo", Scopes = "openid email profile",
            Map = j => new() { Id = S(j["sub"]), Name = S(j["name"]), Email = S(j["email"]), AvatarUrl = S(j["picture"]), EmailVerified = True(j["email_verified"]), RawUser = j },
        };
        yield return new()
        {
            Name = "github", DisplayName = "GitHub",
            AuthUrl = "https://github.com/login/oauth/authorize", TokenUrl = "https://github.com/login/oauth/access_token",
            UserInfoUrl = "https://api.github.com/user", Scopes = "read:user user:email",
            // The /user email is only the public profile email; the verified one comes from /user/emails (see OAuth2Client).
            Map = j => new() { Id = S(j["id"]), Name = S(j["name"]), Username = S(j["login"]), Email = S(j["email"]), AvatarUrl = S(j["avatar_url"]), RawUser = j },
        };
        yield return new()
        {
            Name = "gitlab", DisplayName = "GitLab",
            AuthUrl = "https://gitlab.com/oauth/authorize", TokenUrl = "https://gitlab.com/oauth/token",
            UserInfoUrl = "https://gitlab.com/api/v4/user", Scopes = "read_user",
            Map = j => new()
            {
                Id = S(j["id"]), Name = S(j["name"]), Username = S(j["username"]), Email = S(j["email"]), AvatarUrl = S(j["avatar_url"]),
                EmailVerified = S(j["confirmed_at"]).Length > 0, RawUser = j,
            },
        };
        yield return new()
        {
            Name = "microsoft", DisplayName = "Microsoft",
            AuthUrl = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", TokenUrl = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            UserInfoUrl = "https://graph.microsoft.com/v1.0/me", Scopes = "User.Read",
            // Graph's `mail` is tenant-editable, not a verified address: never treated as verified.
            Map = j => new() { Id = S(j["id"]), Name = S(j["displayName"]), Email = S(j["mail"]), RawUser = j },
        };
        yield return new()
        {
            Name = "discord", DisplayName = "Discord",
            AuthUrl = "https://discord.com/api/oauth2/authorize", TokenUrl = "https://discord.com/api/oauth2/token",
            UserInfoUrl = "https://discord.com/api/users/@me", Scopes = "identify email",
            Map = j =>
            {
                var id = S(j["id"]);
                var avatar = S(j["avatar"]);
                var global = S(j["global_name"]);
                return new()
                {
                    Id = id, Name = global.Length > 0 ? global : S(j["username"]), Username = S(j["username"]), Email = S(j["email"]),
                    AvatarUrl = avatar.Length > 0 ? $"https://cdn.discordapp.com/avatars/{Uri.EscapeDataString(id)}/{Uri.EscapeDataString(avatar)}.png" : "",
                    EmailVerified = True(j["verified"]), RawUser = j,
                };
            },
        };
        yield return new()
        {
            Name = "apple", DisplayName = "Apple",
            AuthUrl = "https://appleid.apple.com/auth/authorize", TokenUrl = "https://appleid.apple.com/auth/token",
            Scopes = "name email", ExtraAuthQuery = "response_mode=form_post",
            UsesIdToken = true, Issuer = "https://appleid.apple.com", JwksUrl = "https://appleid.apple.com/auth/keys",
            Map = OidcUser,
        };
        foreach (var (name, display) in ((string, string)[])[("oidc", "OIDC"), ("oidc2", "OIDC"), ("oidc3", "OIDC")])
        {
            yield return new()
            {
                Name = name, DisplayName = display, Scopes = "openid email profile", Discovery = true, Map = OidcUser,
            };
        }
    }

    private static OAuth2User OidcUser(JsonObject j) => new()
    {
        Id = S(j["sub"]), Name = S(j["name"]), Username = S(j["preferred_username"]), Email = S(j["email"]),
        AvatarUrl = S(j["picture"]), EmailVerified = True(j["email_verified"]), RawUser = j,
    };

    /// <summary>A string or number as text ("" otherwise).</summary>
    public static string S(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => v.ToJsonString(),
        _ => "",
    };

    /// <summary>true, or the string "true" (Apple sends email_verified as a string).</summary>
    public static bool True(JsonNode? n) =>
        n is JsonValue v && ((v.TryGetValue<bool>(out var b) && b) || (v.TryGetValue<string>(out var s) && s == "true"));
}

/// <summary>
/// Caches of documents fetched from providers (OIDC discovery, JWKS): 5 minutes, and failures for 30 s so an
/// unreachable provider doesn't make every auth-methods call wait for it.
/// </summary>
internal static class OAuth2Cache
{
    private static readonly ConcurrentDictionary<string, (DateTimeOffset At, JsonObject? Doc)> Docs = new(StringComparer.Ordinal);

    /// <param name="refresh">Fetch again unless the cached copy is under 30 s old (a JWKS without the token's key: rotated keys).</param>
    /// <param name="clock">The server's clock (ages of the cached copies).</param>
    public static async Task<JsonObject?> GetAsync(string url, TimeProvider clock, CancellationToken ct, bool refresh = false)
    {
        var fresh = refresh ? TimeSpan.FromSeconds(30) : TimeSpan.FromMinutes(5);
        var age = Docs.TryGetValue(url, out var hit) ? clock.GetUtcNow() - hit.At : TimeSpan.MaxValue;
        if (age >= TimeSpan.Zero && age < (hit.Doc is null ? TimeSpan.FromSeconds(30) : fresh)) return hit.Doc;
        var doc = await OAuth2Http.GetJsonAsync(url, null, ct);
        if (Docs.Count > 1000) Docs.Clear();
        Docs[url] = (clock.GetUtcNow(), doc);
        return doc;
    }
}
