using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// Validates a device registration: {platform: "web", subscription: {endpoint, keys: {p256dh, auth}}, topics} or
/// {platform: "fcm" | "apns", token, topics}.
/// </summary>
public static partial class PushDeviceInput
{
    public static PushDevice Parse(JsonObject body, string collectionId, string userId, string now)
    {
        var errors = new ErrorData();
        var platform = body["platform"] is JsonValue pv && pv.TryGetValue<string>(out var ps) ? ps : null;
        if (platform is null) errors.Add("platform", body["platform"] is null ? FieldError.Required() : new FieldError("validation_invalid_value", "Must be a string."));
        else if (!PushDevice.Platforms.Contains(platform))
            errors.Add("platform", new FieldError("validation_invalid_platform", "Must be \"web\", \"fcm\" or \"apns\"."));

        string endpoint = "", p256dh = "", auth = "";
        if (platform is PushDevice.Fcm or PushDevice.Apns)
        {
            endpoint = body["token"] is JsonValue tv && tv.TryGetValue<string>(out var ts) ? ts : "";
            if (body["subscription"] is not null) errors.Add("subscription", new FieldError("validation_invalid_value", "Only \"web\" devices have a subscription; give \"token\"."));
            if (endpoint.Length == 0) errors.Add("token", body["token"] is null ? FieldError.Required() : new FieldError("validation_invalid_value", "Must be a string."));
            else if (!IsToken(platform, endpoint))
                errors.Add("token", new FieldError("validation_invalid_token", platform == PushDevice.Apns
                    ? "Must be the APNs device token in hex (64 to 200 characters)."
                    : $"Must be the FCM registration token (1 to {MaxFcmTokenLength} characters of letters, digits, '_', '-', ':' and '.')."));
        }
        else if (body["subscription"] is not JsonObject sub)
            errors.Add("subscription", body["subscription"] is null ? FieldError.Required() : new FieldError("validation_invalid_subscription", "Must be a Web Push subscription object {endpoint, keys: {p256dh, auth}}."));
        else
        {
            var e = new ErrorData();
            endpoint = sub["endpoint"] is JsonValue ev && ev.TryGetValue<string>(out var es) ? es : "";
            if (endpoint.Length == 0) e.Add("endpoint", FieldError.Required());
            else if (CheckEndpoint(endpoint) is { } why) e.Add("endpoint", new FieldError("validation_invalid_endpoint", why));
            if (sub["keys"] is not JsonObject keys) e.Add("keys", FieldError.Required());
            else
            {
                var ke = new ErrorData();
                p256dh = keys["p256dh"] is JsonValue kv && kv.TryGetValue<string>(out var ks) ? ks : "";
                auth = keys["auth"] is JsonValue av && av.TryGetValue<string>(out var ast) ? ast : "";
                if (p256dh.Length > 200 || VapidKeys.ParsePoint(Base64Url.TryDecode(p256dh)) is null)
                    ke.Add("p256dh", new FieldError("validation_invalid_key", "Must be a P-256 public key (65 bytes, base64url)."));
                if (auth.Length > 100 || Base64Url.TryDecode(auth) is not { Length: 16 })
                    ke.Add("auth", new FieldError("validation_invalid_key", "Must be the 16-byte auth secret in base64url."));
                e.Add("keys", ke);
            }
            errors.Add("subscription", e);
        }

        var topics = ParseTopics(body["topics"], errors);
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        if (platform == PushDevice.Apns) endpoint = endpoint.ToLowerInvariant();
        return new PushDevice(PushDeviceStore.NewId(), collectionId, userId, platform!, endpoint, p256dh.TrimEnd('='), auth.TrimEnd('='), topics, now, now);
    }

    public const int MaxFcmTokenLength = 4096;

    /// <summary>An APNs token is hex (32 bytes today; Apple says the length may grow); an FCM token is opaque URL-safe text.</summary>
    public static bool IsToken(string platform, string token) => platform == PushDevice.Apns
        ? token.Length is >= 64 and <= 200 && token.Length % 2 == 0 && token.All(char.IsAsciiHexDigit)
        : token.Length is > 0 and <= MaxFcmTokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or ':' or '.');

    /// <summary>
    /// Null when the endpoint can be registered: an absolute https URL without credentials, at most 2048 characters.
    /// http is accepted only for a host the operator allow-listed for outbound requests (a local push service in tests).
    /// Where it may be reached is checked again on every delivery by the guarded client.
    /// </summary>
    public static string? CheckEndpoint(string endpoint) => PushSettings.CheckServiceUrl(endpoint);

    public static IReadOnlyList<string> ParseTopics(JsonNode? node, ErrorData errors)
    {
        var topics = new List<string>();
        if (node is null) return topics;
        if (node is not JsonArray arr) { errors.Add("topics", new FieldError("validation_invalid_value", "Must be an array of topic names.")); return topics; }
        if (arr.Count > PushLimits.MaxTopics) { errors.Add("topics", new FieldError("validation_too_many_topics", $"At most {PushLimits.MaxTopics} topics.")); return topics; }
        foreach (var item in arr)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var t) || !IsTopic(t))
            {
                errors.Add("topics", new FieldError("validation_invalid_topic", $"Topic names are 1 to {PushLimits.MaxTopicLength} characters of letters, digits, '_', '-' and '.'."));
                return topics;
            }
            var lower = t.ToLowerInvariant();
            if (!topics.Contains(lower)) topics.Add(lower);
        }
        return topics;
    }

    public static bool IsTopic(string t) => t.Length <= PushLimits.MaxTopicLength && TopicRegex().IsMatch(t);

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex TopicRegex();
}
