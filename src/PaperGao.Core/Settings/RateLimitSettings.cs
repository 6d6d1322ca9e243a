using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;

namespace PaperGao.Core.Settings;

/// <summary>One rate-limit rule: at most <see cref="MaxRequests"/> per <see cref="Duration"/> seconds per client.</summary>
public sealed record RateLimitRule(string Label, string Audience, int Duration, int MaxRequests);

/// <summary>
/// The typed view of settings.rateLimits and settings.trustedProxy (protocol.md §1.7, §8), parsed once per settings
/// snapshot. Invalid stored values are dropped; the API refuses them with per-field errors (<see cref="Validate"/>).
/// </summary>
public sealed partial class RateLimitSettings
{
    public static readonly IReadOnlyList<string> Actions =
    [
        "list", "view", "create", "update", "delete", "auth", "listAuthMethods", "authRefresh", "authWithPassword", "authWithOAuth2",
        "requestOTP", "authWithOTP", "requestPasswordReset", "confirmPasswordReset", "requestVerification", "confirmVerification",
        "requestEmailChange", "confirmEmailChange", "file",
    ];

    public static readonly IReadOnlyList<string> Audiences = ["", "@guest", "@auth"];

    public bool Enabled { get; init; }
    public IReadOnlyList<RateLimitRule> Rules { get; init; } = [];
    public IReadOnlyList<IPNetwork> ExcludedIps { get; init; } = [];

    /// <summary>Header names (e.g. X-Forwarded-For, X-Real-IP) that carry the client IP when set by a trusted proxy.</summary>
    public IReadOnlyList<string> ProxyHeaders { get; init; } = [];
    public bool UseLeftmostIp { get; init; }

    /// <summary>Proxies allowed to set <see cref="ProxyHeaders"/>; empty = loopback and private networks.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyIps { get; init; } = [];

    /// <summary>PocketBase's default rules (enabled: false), with a stricter per-minute cap on the auth endpoints.</summary>
    public static JsonArray DefaultRules() =>
    [
        Rule("*:auth", 10, 60),
        Rule("*:create", 20, 5),
        Rule("/api/batch", 3, 1),
        Rule("/api/", 300, 10),
    ];

    private static JsonObject Rule(string label, int max, int duration) =>
        new() { ["label"] = label, ["audience"] = "", ["duration"] = duration, ["maxRequests"] = max };

    public static RateLimitSettings From(JsonObject extra)
    {
        var errors = new ErrorData();
        var limits = extra["rateLimits"] as JsonObject ?? [];
        var proxy = extra["trustedProxy"] as JsonObject ?? [];
        return new RateLimitSettings
        {
            Enabled = limits["enabled"] is JsonValue v && v.TryGetValue<bool>(out var b) && b,
            Rules = ParseRules(limits["rules"], errors),
            ExcludedIps = ParseNetworks(limits["excludedIPs"], errors, "excludedIPs"),
            ProxyHeaders = Strings(proxy["headers"]),
            UseLeftmostIp = proxy["useLeftmostIP"] is JsonValue l && l.TryGetValue<bool>(out var lb) && lb,
            TrustedProxyIps = ParseNetworks(proxy["ips"], errors, "ips"),
        };
    }

    /// <summary>Validates the rateLimits and trustedProxy sections of a settings patch; errors keyed like the JSON.</summary>
    public static void Validate(JsonObject extra, JsonObject patch, ErrorData errors)
    {
        if (patch.ContainsKey("rateLimits") && extra["rateLimits"] is JsonObject limits)
        {
            var e = new ErrorData();
            if (limits.TryGetPropertyValue("enabled", out var en) && !(en is JsonValue ev && ev.TryGetValue<bool>(out _)))
                e.Add("enabled", new FieldError("validation_invalid_value", "Must be a boolean."));
            if (limits["rules"] is not JsonArray) e.Add("rules", new FieldError("validation_invalid_value", "Must be an array of rules."));
            else
            {
                var re = new ErrorData();
                ParseRules(limits["rules"], re);
                if (!re.IsEmpty) e.Add("rules", re);
            }
            var ie = new ErrorData();
            ParseNetworks(limits["excludedIPs"], ie, "excludedIPs");
            foreach (var (k, v) in ie.Items) e.AddRaw(k, v);
            errors.Add("rateLimits", e);
        }
        if (patch.ContainsKey("trustedProxy") && extra["trustedProxy"] is JsonObject proxy)
        {
            var e = new ErrorData();
            if (proxy["headers"] is not (null or JsonArray) || (proxy["headers"] is JsonArray h && h.Any(x => x is not JsonValue xv || !xv.TryGetValue<string>(out var hs) || !HeaderName().IsMatch(hs))))
                e.Add("headers", new FieldError("validation_invalid_value", "Must be a list of header names."));
            ParseNetworks(proxy["ips"], e, "ips");
            errors.Add("trustedProxy", e);
        }
    }

    private static List<RateLimitRule> ParseRules(JsonNode? node, ErrorData errors)
    {
        var rules = new List<RateLimitRule>();
        if (node is not JsonArray arr) return rules;
        for (var i = 0; i < arr.Count; i++)
        {
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var e = new ErrorData();
            if (arr[i] is not JsonObject o)
            {
                errors.Add(key, new FieldError("validation_invalid_value", "Must be an object."));
                continue;
            }
            var label = o["label"] is JsonValue lv && lv.TryGetValue<string>(out var ls) ? ls.Trim() : "";
            if (label.Length == 0) e.Add("label", FieldError.Required());
            else if (label.Length > 255 || !IsValidLabel(label)) e.Add("label", new FieldError("validation_invalid_rate_limit_label", "Must be \"METHOD /path\", \"/path\", \"collection:action\" or \"*:action\" with a known action."));
            var audience = o["audience"] is null ? "" : o["audience"] is JsonValue av && av.TryGetValue<string>(out var aus) ? aus : null;
            if (audience is null || !Audiences.Contains(audience)) e.Add("audience", new FieldError("validation_in_invalid", "Must be \"\", \"@guest\" or \"@auth\"."));
            var duration = Int(o, "duration", 1, 86400, e);
            var max = Int(o, "maxRequests", 1, 1_000_000, e);
            if (!e.IsEmpty) { errors.Add(key, e); continue; }
            rules.Add(new RateLimitRule(label, audience!, duration, max));
        }
        return rules;
    }

    private static int Int(JsonObject o, string key, int min, int max, ErrorData e)
    {
        if (o[key] is JsonValue v && v.TryGetValue<double>(out var d) && d >= min && d <= max && d == Math.Floor(d)) return (int)d;
        e.Add(key, new FieldError("validation_invalid_value", $"Must be a whole number between {min} and {max}."));
        return 0;
    }

    public static bool IsValidLabel(string label)
    {
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && !label.StartsWith('/') && !label.Contains(' ', StringComparison.Ordinal))
        {
            var collection = label[..colon];
            var action = label[(colon + 1)..];
            return (collection == "*" || CollectionName().IsMatch(collection)) && Actions.Contains(action);
        }
        var space = label.IndexOf(' ', StringComparison.Ordinal);
        var path = label;
        if (space > 0)
        {
            var method = label[..space];
            if (method is not ("GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS")) return false;
            path = label[(space + 1)..];
        }
        return path.StartsWith('/') && !path.Any(char.IsWhiteSpace);
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray arr ? [.. arr.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s.Trim() : "").Where(s => s.Length > 0)] : [];

    private static List<IPNetwork> ParseNetworks(JsonNode? node, ErrorData errors, string key)
    {
        var list = new List<IPNetwork>();
        if (node is null) return list;
        if (node is not JsonArray arr)
        {
            errors.Add(key, new FieldError("validation_invalid_value", "Must be a list of IP addresses or CIDR ranges."));
            return list;
        }
        foreach (var item in arr)
        {
            var s = item is JsonValue v && v.TryGetValue<string>(out var str) ? str.Trim() : "";
            if (IPNetwork.TryParse(s, out var net)) list.Add(net);
            else if (IPAddress.TryParse(s, out var ip)) list.Add(new IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
            {
                errors.Add(key, new FieldError("validation_invalid_value", "Must be a list of IP addresses or CIDR ranges."));
                break;
            }
        }
        return list;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,100}$")]
    private static partial Regex CollectionName();

    [GeneratedRegex("^[A-Za-z0-9-]{1,100}$")]
    private static partial Regex HeaderName();
}
