using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// The "push" section of a project's settings (flat, so a PATCH of some keys keeps the write-only ones).
/// Web Push: on or off ("enabled"), the VAPID key pair, the VAPID subject (a mailto: or https: contact).
/// FCM: on or off, the service-account key file (JSON text), the API and OAuth2 token URLs (Google's by default).
/// APNs: on or off, the .p8 key with its key id and team id, the topic (the app's bundle id), production or sandbox,
/// and an endpoint that overrides the one the production flag picks. The cap of devices one send may reach.
/// The private keys and the service account are write-only: never returned by the API, never logged.
/// </summary>
public sealed record PushSettings(bool Enabled, string VapidPublicKey, string VapidPrivateKey, string Subject, int MaxRecipients)
{
    public const string Section = "push";
    public const string PrivateKeyField = "vapidPrivateKey";
    public const string FcmServiceAccountField = "fcmServiceAccount";
    public const string ApnsPrivateKeyField = "apnsPrivateKey";

    public const string DefaultFcmEndpoint = "https://fcm.googleapis.com";
    public const string DefaultFcmTokenUrl = "https://oauth2.googleapis.com/token";
    public const string ApnsProductionEndpoint = "https://api.push.apple.com";
    public const string ApnsSandboxEndpoint = "https://api.sandbox.push.apple.com";

    public bool FcmEnabled { get; init; }
    public string FcmServiceAccount { get; init; } = "";
    public string FcmEndpoint { get; init; } = DefaultFcmEndpoint;
    public string FcmTokenUrl { get; init; } = DefaultFcmTokenUrl;

    public bool ApnsEnabled { get; init; }
    public string ApnsKeyId { get; init; } = "";
    public string ApnsTeamId { get; init; } = "";
    public string ApnsPrivateKey { get; init; } = "";
    public string ApnsTopic { get; init; } = "";
    public bool ApnsProduction { get; init; }
    public string ApnsEndpoint { get; init; } = "";

    public static JsonObject Defaults() => new()
    {
        ["enabled"] = false,
        ["vapidPublicKey"] = "",
        [PrivateKeyField] = "",
        ["subject"] = "",
        ["maxRecipients"] = PushLimits.DefaultMaxRecipients,
        ["fcmEnabled"] = false,
        [FcmServiceAccountField] = "",
        ["fcmEndpoint"] = DefaultFcmEndpoint,
        ["fcmTokenUrl"] = DefaultFcmTokenUrl,
        ["apnsEnabled"] = false,
        ["apnsKeyId"] = "",
        ["apnsTeamId"] = "",
        [ApnsPrivateKeyField] = "",
        ["apnsTopic"] = "",
        ["apnsProduction"] = false,
        ["apnsEndpoint"] = "",
    };

    public static PushSettings From(JsonNode? section)
    {
        var o = section as JsonObject ?? Defaults();
        var max = TryNumber(o["maxRecipients"], out var d) && d >= 1 && d <= PushLimits.MaxMaxRecipients ? (int)d : PushLimits.DefaultMaxRecipients;
        return new PushSettings(Bool(o, "enabled"), Str(o, "vapidPublicKey"), Str(o, PrivateKeyField), Str(o, "subject"), max)
        {
            FcmEnabled = Bool(o, "fcmEnabled"),
            FcmServiceAccount = Str(o, FcmServiceAccountField),
            FcmEndpoint = Str(o, "fcmEndpoint") is { Length: > 0 } fe ? fe.TrimEnd('/') : DefaultFcmEndpoint,
            FcmTokenUrl = Str(o, "fcmTokenUrl") is { Length: > 0 } ft ? ft : DefaultFcmTokenUrl,
            ApnsEnabled = Bool(o, "apnsEnabled"),
            ApnsKeyId = Str(o, "apnsKeyId"),
            ApnsTeamId = Str(o, "apnsTeamId"),
            ApnsPrivateKey = Str(o, ApnsPrivateKeyField),
            ApnsTopic = Str(o, "apnsTopic"),
            ApnsProduction = Bool(o, "apnsProduction"),
            ApnsEndpoint = Str(o, "apnsEndpoint").TrimEnd('/'),
        };
    }

    public VapidKeys Keys => new(VapidPublicKey, VapidPrivateKey);

    public ApnsKey ApnsKey => new(ApnsKeyId, ApnsTeamId, ApnsPrivateKey);

    /// <summary>Where APNs requests go: the configured endpoint, else Apple's production or sandbox host.</summary>
    public string ApnsBaseUrl => ApnsEndpoint.Length > 0 ? ApnsEndpoint : ApnsProduction ? ApnsProductionEndpoint : ApnsSandboxEndpoint;

    /// <summary>The platforms a send can reach now: switched on and configured (a disabled platform's devices are not counted).</summary>
    public IReadOnlyList<string> ReadyPlatforms()
    {
        var list = new List<string>();
        if (Enabled && VapidPrivateKey.Length > 0) list.Add(PushDevice.Web);
        if (FcmEnabled && FcmServiceAccount.Length > 0) list.Add(PushDevice.Fcm);
        if (ApnsEnabled && ApnsPrivateKey.Length > 0 && ApnsTopic.Length > 0) list.Add(PushDevice.Apns);
        return list;
    }

    /// <summary>The secret keys of the section (SettingsJson leaves them out of every answer).</summary>
    public static readonly IReadOnlyList<string> SecretFields = [PrivateKeyField, FcmServiceAccountField, ApnsPrivateKeyField];

    /// <summary>Never prints a private key or the service account.</summary>
    public override string ToString() =>
        $"PushSettings {{ Enabled = {Enabled}, VapidPublicKey = {VapidPublicKey}, Subject = {Subject}, MaxRecipients = {MaxRecipients}, " +
        $"FcmEnabled = {FcmEnabled}, FcmEndpoint = {FcmEndpoint}, ApnsEnabled = {ApnsEnabled}, ApnsKeyId = {ApnsKeyId}, ApnsTeamId = {ApnsTeamId}, ApnsTopic = {ApnsTopic}, ApnsProduction = {ApnsProduction} }}";

    /// <summary>Checks a merged section (settings PATCH); errors keyed like the JSON.</summary>
    public static ErrorData Validate(JsonObject o)
    {
        var e = new ErrorData();
        foreach (var key in new[] { "enabled", "fcmEnabled", "apnsEnabled", "apnsProduction" })
        {
            if (o[key] is not null && !(o[key] is JsonValue bv && bv.TryGetValue<bool>(out _)))
                e.Add(key, new FieldError("validation_invalid_value", "Must be a boolean."));
        }
        foreach (var key in new[] { "vapidPublicKey", PrivateKeyField, "subject", FcmServiceAccountField, "fcmEndpoint", "fcmTokenUrl", "apnsKeyId", "apnsTeamId", ApnsPrivateKeyField, "apnsTopic", "apnsEndpoint" })
        {
            if (o[key] is not null && !(o[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length <= 20_000))
                e.Add(key, new FieldError("validation_invalid_value", "Must be a string (at most 20000 characters)."));
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

        ValidateFcm(s, e);
        ValidateApns(s, e);
        return e;
    }

    private static void ValidateFcm(PushSettings s, ErrorData e)
    {
        if (s.FcmServiceAccount.Length > 0)
        {
            if (Push.FcmServiceAccount.TryParse(s.FcmServiceAccount, out var why) is null)
                e.Add(FcmServiceAccountField, new FieldError("validation_invalid_service_account", why!));
        }
        else if (s.FcmEnabled) e.Add(FcmServiceAccountField, new FieldError("validation_required", "Paste the service-account key file (JSON) of the Firebase project."));
        if (CheckServiceUrl(s.FcmEndpoint) is { } fe) e.Add("fcmEndpoint", new FieldError("validation_invalid_url", fe));
        if (CheckServiceUrl(s.FcmTokenUrl) is { } ft) e.Add("fcmTokenUrl", new FieldError("validation_invalid_url", ft));
    }

    private static void ValidateApns(PushSettings s, ErrorData e)
    {
        if (s.ApnsEndpoint.Length > 0 && CheckServiceUrl(s.ApnsEndpoint) is { } ae)
            e.Add("apnsEndpoint", new FieldError("validation_invalid_url", ae));
        else if (s.ApnsEndpoint.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
            e.Add("apnsEndpoint", new FieldError("validation_invalid_url", "APNs is reached over HTTP/2 with TLS: must be an https URL."));
        var any = s.ApnsEnabled || s.ApnsKeyId.Length > 0 || s.ApnsTeamId.Length > 0 || s.ApnsPrivateKey.Length > 0 || s.ApnsTopic.Length > 0;
        if (!any) return;
        if (s.ApnsKeyId.Length > 0 || s.ApnsEnabled)
        {
            if (!ApnsKey.IsId(s.ApnsKeyId)) e.Add("apnsKeyId", new FieldError("validation_invalid_key_id", "Must be the 10-character key id of the .p8 key."));
        }
        if (s.ApnsTeamId.Length > 0 || s.ApnsEnabled)
        {
            if (!ApnsKey.IsId(s.ApnsTeamId)) e.Add("apnsTeamId", new FieldError("validation_invalid_team_id", "Must be the 10-character team id of the developer account."));
        }
        if (s.ApnsPrivateKey.Length > 0)
        {
            using var signer = s.ApnsKey.TryCreateSigner();
            if (signer is null) e.Add(ApnsPrivateKeyField, new FieldError("validation_invalid_apns_key", "Must be the contents of the .p8 file (a P-256 private key in PEM)."));
        }
        else if (s.ApnsEnabled) e.Add(ApnsPrivateKeyField, FieldError.Required());
        if (s.ApnsTopic.Length > 0 || s.ApnsEnabled)
        {
            if (!IsApnsTopic(s.ApnsTopic)) e.Add("apnsTopic", new FieldError("validation_invalid_topic", "Must be the app's bundle id (letters, digits, '.', '-'), e.g. com.example.app."));
        }
    }

    private static bool IsApnsTopic(string t) => t.Length is > 0 and <= 255 && t.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-') && !t.StartsWith('.') && !t.EndsWith('.');

    /// <summary>
    /// Null when a push service URL may be used: an absolute https URL without credentials, query or fragment; http only
    /// for a host the operator allow-listed for outbound requests (a local stand-in in tests). Where it may be reached
    /// is checked again on every request by the guarded client.
    /// </summary>
    public static string? CheckServiceUrl(string url)
    {
        if (url.Length > PushLimits.MaxEndpointLength) return $"Must be no more than {PushLimits.MaxEndpointLength} characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Host.Length == 0 || u.UserInfo.Length > 0 || u.Fragment.Length > 0)
            return "Must be an absolute URL without credentials.";
        if (u.Scheme == Uri.UriSchemeHttps) return null;
        if (u.Scheme == Uri.UriSchemeHttp && OutboundHttp.OperatorAllowList.AllowsHost(u.Host)) return null;
        return "Must be an https URL.";
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
