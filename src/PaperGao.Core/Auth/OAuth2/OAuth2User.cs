using System.Text.Json.Nodes;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>The provider's user after the code exchange, in PocketBase's shape (the `meta` of protocol.md §5.5a).</summary>
public sealed class OAuth2User
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Username { get; init; } = "";
    public string Email { get; init; } = "";
    public string AvatarUrl { get; init; } = "";

    /// <summary>True only when the provider states that it verified the email (security.md items 1-3).</summary>
    public bool EmailVerified { get; init; }

    public JsonObject RawUser { get; init; } = [];
    public string AccessToken { get; set; } = "";
    public string RefreshToken { get; set; } = "";
    public DateTimeOffset? Expiry { get; set; }
}

/// <summary>The token endpoint's answer.</summary>
public sealed record OAuth2Token(string AccessToken, string RefreshToken, DateTimeOffset? Expiry, string IdToken);
