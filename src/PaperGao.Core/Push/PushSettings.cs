using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Push;

/// <summary>
/// The "push" section of a project's settings: Web Push on or off, the VAPID key pair (the private key is write-only:
/// never returned by the API, never logged), the VAPID subject (a mailto: or https: contact for push services) and the
/// cap of devices one send may reach.
/// </summary>
public sealed record PushSettings(bool Enabled, string VapidPublicKey, string VapidPrivateKey, string Subject, int MaxRecipients)
{
    public const string Section = "push";
    public const string PrivateKeyField = "vapidPrivateKey";

    public static JsonObject Defaults() => new()
    {
        ["enabled"] = false,
        ["vapidPublicKey"] = "",
        [PrivateKeyField] = "",
        ["subject"] = "",
        ["maxRecipients"] = PushLimits.DefaultMaxRecipients,
    };

    public static PushSettings From(JsonNode? section)
    {
        var o = section as JsonObject ?? Defaults();
        var max = TryNumber(o["maxRecipients"], out var d) && d >= 1 && d <= PushLimits.MaxMaxRecipients ? (int)d : PushLimits.DefaultMaxRecipients;
        return new PushSettings(Bool(o, "enabled"), Str(o, "vapidPublicKey"), Str(o, PrivateKeyField), Str(o, "subject"), max);
    }

    public VapidKeys Keys => new(VapidPublicKey, VapidPrivateKey);

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"PushSettings {{ Enabled = {Enabled}, VapidPublicKey = {VapidPublicKey}, Subject = {Subject}, MaxRecipients = {MaxRecipients} }}";

    /// <summary>Checks a merged section (settings PATCH); errors keyed like the JSON.</summary>
    public static ErrorData Validate(JsonObject o)
    {
        var e = new ErrorData();
        if (o["enabled"] is not (null or JsonValue) || (o["enabled"] is JsonValue ev && !ev.TryGetValue<bool>(out _)))
            e.Add("enabled", new FieldError("validation_invalid_value", "Must be a boolean."));
        foreach (var key in new[] { "vapidPublicKey", PrivateKeyField, "subject" })
        {
            if (o[key] is not null && !(o[key] is JsonValue v && v.TryGetValue<string>(out _)))
                e.Add(key, new FieldError("validation_invalid_value", "Must be a string."));
        }
        if (o["maxRecipients"] is not null && !(TryNumber(o["maxRecipients"], out var m) && m == Math.Floor(m) && m >= 1 && m <= PushLimits.MaxMaxRecipients))
            e.Add("maxRecipients", new FieldError("validation_invalid_value", $"Must be a whole number between 1 and {PushLimits.MaxMaxRecipients}."));
        if (!e.IsEmpty) return e;

        var s = From(o);
        if (s.Subject.Length > 0 && !IsValidSubject(s.Subject))
            e.Add("subject", new FieldError("validation_invalid_subject", "Must be a mailto: address or an https: URL."));
        else if (s.Enabled && s.Subject.Length == 0) e.Add("subject", FieldError.Required());

        if (s.VapidPublicKey.Length > 0 || s.VapidPrivateKey.Length > 0)
        {
            using var signer = s.Keys.TryCreateSigner();
            if (signer is null)
                e.Add("vapidPublicKey", new FieldError("validation_invalid_vapid_keys", "The VAPID keys must be a P-256 key pair in base64url (65-byte public, 32-byte private)."));
        }
        else if (s.Enabled) e.Add("vapidPublicKey", new FieldError("validation_required", "Generate the VAPID keys first (POST /api/push/vapid-keys)."));
        return e;
    }

    public static bool IsValidSubject(string subject)
    {
        if (subject.Length > 255) return false;
        if (subject.StartsWith("mailto:", StringComparison.Ordinal))
        {
            var address = subject["mailto:".Length..];
            var at = address.IndexOf('@');
            return at > 0 && at < address.Length - 1 && !address.Any(char.IsWhiteSpace);
        }
        return Uri.TryCreate(subject, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps && u.Host.Length > 0;
    }

    /// <summary>A JSON number, whether parsed from text or built from a .NET value (int, long, double).</summary>
    public static bool TryNumber(JsonNode? node, out double value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number &&
               double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
