using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>One configured provider of an auth collection (AuthOptions.Extra["oauth2"].providers[i]).</summary>
public sealed record OAuth2ProviderConfig(
    string Name, string ClientId, string ClientSecret, string AuthUrl, string TokenUrl, string UserInfoUrl,
    string DisplayName, bool? Pkce, JsonObject Extra);

/// <summary>
/// The `oauth2` options of an auth collection: enabled, mappedFields (id/name/username/avatarURL → field names)
/// and the providers. Parsed leniently for use; <see cref="Validate"/> reports what a save must refuse.
/// </summary>
public sealed class OAuth2Config
{
    public bool Enabled { get; init; }
    public IReadOnlyDictionary<string, string> MappedFields { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<OAuth2ProviderConfig> Providers { get; init; } = [];

    public static OAuth2Config From(JsonObject? extra)
    {
        if (extra?["oauth2"] is not JsonObject o) return new OAuth2Config();
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        if (o["mappedFields"] is JsonObject mf)
        {
            foreach (var (k, v) in mf)
                if (JsonValues.StringOf(v) is { Length: > 0 } s) mapped[k] = s;
        }
        var providers = new List<OAuth2ProviderConfig>();
        if (o["providers"] is JsonArray arr)
        {
            foreach (var p in arr.OfType<JsonObject>())
            {
                providers.Add(new OAuth2ProviderConfig(
                    JsonValues.StringOf(p["name"]) ?? "", JsonValues.StringOf(p["clientId"]) ?? "", JsonValues.StringOf(p["clientSecret"]) ?? "",
                    JsonValues.StringOf(p["authURL"]) ?? JsonValues.StringOf(p["authUrl"]) ?? "", JsonValues.StringOf(p["tokenURL"]) ?? JsonValues.StringOf(p["tokenUrl"]) ?? "",
                    JsonValues.StringOf(p["userInfoURL"]) ?? JsonValues.StringOf(p["userInfoUrl"]) ?? "", JsonValues.StringOf(p["displayName"]) ?? "",
                    p["pkce"] is JsonValue pv && pv.TryGetValue<bool>(out var pk) ? pk : null,
                    p["extra"] as JsonObject ?? []));
            }
        }
        var enabled = o["enabled"] is JsonValue ev && ev.TryGetValue<bool>(out var e) && e;
        return new OAuth2Config { Enabled = enabled, MappedFields = mapped, Providers = providers };
    }

    public OAuth2ProviderConfig? Find(string name) => Providers.FirstOrDefault(p => p.Name == name);

    /// <summary>Errors of the oauth2 options as a save sees them (null when fine).</summary>
    public static ErrorData? Validate(JsonObject? extra)
    {
        if (extra?["oauth2"] is not JsonObject o) return null;
        var errors = new ErrorData();
        if (o["providers"] is { } pn && pn is not JsonArray) errors.Add("providers", Invalid("Must be an array."));
        var config = From(extra);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new ErrorData();
        for (var i = 0; i < config.Providers.Count; i++)
        {
            var p = config.Providers[i];
            var pe = new ErrorData();
            if (!OAuth2Providers.IsKnown(p.Name)) pe.Add("name", new FieldError("validation_invalid_provider", "Unknown OAuth2 provider."));
            else if (!seen.Add(p.Name)) pe.Add("name", new FieldError("validation_duplicated_provider", "The provider is listed twice."));
            if (p.ClientId.Length == 0) pe.Add("clientId", FieldError.Required());
            foreach (var (key, url) in (ReadOnlySpan<(string, string)>)[("authURL", p.AuthUrl), ("tokenURL", p.TokenUrl), ("userInfoURL", p.UserInfoUrl)])
            {
                if (url.Length > 0 && !OAuth2Http.IsHttpUrl(url)) pe.Add(key, Invalid("Must be an http(s) URL."));
            }
            if (!pe.IsEmpty) list.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), pe);
        }
        if (!list.IsEmpty) errors.Add("providers", list);
        return errors.IsEmpty ? null : errors;
    }

    private static FieldError Invalid(string message) => new("validation_invalid_value", message);

}
