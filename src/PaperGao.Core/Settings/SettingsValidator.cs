using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;

namespace PaperGao.Core.Settings;

/// <summary>
/// Checks the smtp, s3 and logs sections a PATCH touched, as PocketBase's settings model does (same error codes),
/// plus the port range. A failing section leaves the stored settings unchanged (the caller saves nothing).
/// </summary>
public static partial class SettingsValidator
{
    public static void Validate(JsonObject merged, JsonObject patch, ErrorData errors)
    {
        if (patch["smtp"] is JsonObject && merged["smtp"] is JsonObject smtp) errors.Add("smtp", Smtp(smtp));
        if (patch["s3"] is JsonObject && merged["s3"] is JsonObject s3) errors.Add("s3", S3(s3));
        if (patch["logs"] is JsonObject && merged["logs"] is JsonObject logs) errors.Add("logs", Logs(logs));
        if (patch["backups"] is JsonObject && merged["backups"] is JsonObject backups) errors.Add("backups", Backups.BackupSettingsValidator.Validate(backups));
        if (patch["push"] is JsonObject && merged["push"] is JsonObject push) errors.Add("push", Push.PushSettings.Validate(push));
    }

    private static ErrorData Smtp(JsonObject o)
    {
        var e = new ErrorData();
        var enabled = Bool(o, "enabled");
        var host = Str(o, "host");
        if (enabled && host.Length == 0) e.Add("host", FieldError.Required());
        else if (host.Length > 0 && !IsHost(host)) e.Add("host", new FieldError("validation_is_host", "Must be a valid IP address or DNS name."));
        if (!TryLong(o, "port", out var port)) e.Add("port", new FieldError("validation_invalid_value", "Must be a whole number."));
        else if (enabled && port == 0) e.Add("port", FieldError.Required());
        else if (port < 0) e.Add("port", new FieldError("validation_min_greater_equal_than_required", "Must be no less than 0."));
        else if (port > 65535) e.Add("port", new FieldError("validation_max_less_equal_than_required", "Must be no greater than 65535."));
        var method = Str(o, "authMethod");
        if (method.Length > 0 && method is not ("PLAIN" or "LOGIN")) e.Add("authMethod", new FieldError("validation_in_invalid", "Must be a valid value."));
        var localName = Str(o, "localName");
        if (localName.Length > 0 && !IsHost(localName)) e.Add("localName", new FieldError("validation_is_host", "Must be a valid IP address or DNS name."));
        return e;
    }

    private static ErrorData S3(JsonObject o)
    {
        var e = new ErrorData();
        var enabled = Bool(o, "enabled");
        var endpoint = Str(o, "endpoint");
        if (endpoint.Length > 0 && !(Uri.TryCreate(endpoint, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Host.Length > 0))
            e.Add("endpoint", new FieldError("validation_is_url", "Must be a valid URL."));
        foreach (var key in new[] { "endpoint", "bucket", "region", "accessKey", "secret" })
        {
            if (enabled && Str(o, key).Trim().Length == 0 && !e.Contains(key)) e.Add(key, FieldError.Required());
        }
        return e;
    }

    private static ErrorData Logs(JsonObject o)
    {
        var e = new ErrorData();
        if (!TryLong(o, "maxDays", out var days)) e.Add("maxDays", new FieldError("validation_invalid_value", "Must be a whole number."));
        else if (days < 0) e.Add("maxDays", new FieldError("validation_min_greater_equal_than_required", "Must be no less than 0."));
        if (!TryLong(o, "minLevel", out _)) e.Add("minLevel", new FieldError("validation_invalid_value", "Must be a whole number."));
        return e;
    }

    /// <summary>An IP address or a DNS name (letters, digits, hyphens; dot-separated labels of at most 63).</summary>
    public static bool IsHost(string s) =>
        s.Length <= 253 && (IPAddress.TryParse(s.Trim('[', ']'), out _) || HostRegex().IsMatch(s));

    [GeneratedRegex(@"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$")]
    private static partial Regex HostRegex();

    private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static bool TryLong(JsonObject o, string key, out long value)
    {
        value = 0;
        if (o[key] is null) return true;
        if (o[key] is JsonValue v && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15)
        {
            value = (long)d;
            return true;
        }
        return false;
    }
}
