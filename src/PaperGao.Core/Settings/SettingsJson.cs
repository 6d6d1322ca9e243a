using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Settings;

/// <summary>Settings JSON in both directions; secrets are written only for storage.</summary>
public static class SettingsJson
{
    private static readonly (string Section, string Key)[] Secrets = [("smtp", "password"), ("s3", "secret"), (Push.PushSettings.Section, Push.PushSettings.PrivateKeyField), (Push.PushSettings.Section, Push.PushSettings.FcmServiceAccountField), (Push.PushSettings.Section, Push.PushSettings.ApnsPrivateKeyField)];

    public static JsonObject ToJson(ProjectSettings s, bool includeSecrets)
    {
        var o = new JsonObject
        {
            ["meta"] = new JsonObject
            {
                ["appName"] = s.Meta.AppName,
                ["appURL"] = s.Meta.AppUrl,
                ["senderName"] = s.Meta.SenderName,
                ["senderAddress"] = s.Meta.SenderAddress,
                ["hideControls"] = s.Meta.HideControls,
            },
            ["batch"] = new JsonObject
            {
                ["enabled"] = s.Batch.Enabled,
                ["maxRequests"] = s.Batch.MaxRequests,
                ["timeout"] = s.Batch.Timeout,
                ["maxBodySize"] = s.Batch.MaxBodySize,
            },
        };
        foreach (var (k, v) in s.Extra) o[k] = v?.DeepClone();
        if (!includeSecrets)
        {
            foreach (var (section, key) in Secrets) (o[section] as JsonObject)?.Remove(key);
            ((o["backups"] as JsonObject)?["s3"] as JsonObject)?.Remove("secret");
        }
        return o;
    }

    /// <summary>Applies a partial settings JSON (PATCH) onto a copy; errors keyed like the JSON.</summary>
    public static ProjectSettings Apply(ProjectSettings current, JsonObject patch, ErrorData errors)
    {
        var s = current.Clone();
        if (patch["meta"] is JsonObject meta)
        {
            var e = new ErrorData();
            var m = s.Meta;
            m = m with
            {
                AppName = Str(meta, "appName", m.AppName, e, max: 255, required: true),
                AppUrl = Str(meta, "appURL", m.AppUrl, e, max: 2048, required: true),
                SenderName = Str(meta, "senderName", m.SenderName, e, max: 255, required: false),
                SenderAddress = Str(meta, "senderAddress", m.SenderAddress, e, max: 255, required: false),
                HideControls = Bool(meta, "hideControls", m.HideControls, e),
            };
            if (!Uri.TryCreate(m.AppUrl, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                e.Add("appURL", new FieldError("validation_invalid_url", "Must be a valid http(s) URL."));
            errors.Add("meta", e);
            s.Meta = m;
        }
        if (patch["batch"] is JsonObject batch)
        {
            var e = new ErrorData();
            var b = s.Batch;
            s.Batch = b with
            {
                Enabled = Bool(batch, "enabled", b.Enabled, e),
                MaxRequests = (int)Num(batch, "maxRequests", b.MaxRequests, 1, 10000, e),
                Timeout = (int)Num(batch, "timeout", b.Timeout, 1, 3600, e),
                MaxBodySize = (long)Num(batch, "maxBodySize", b.MaxBodySize, 0, 10L * 1024 * 1024 * 1024, e),
            };
            errors.Add("batch", e);
        }
        foreach (var (key, value) in patch)
        {
            if (key is "meta" or "batch" || !s.Extra.ContainsKey(key)) continue;
            if (value is JsonObject incoming && s.Extra[key] is JsonObject existing)
            {
                Merge(existing, incoming);
            }
            else if (value is JsonArray arr && s.Extra[key] is JsonArray)
            {
                s.Extra[key] = arr.DeepClone();
            }
            else
            {
                errors.Add(key, new FieldError("validation_invalid_value", "Invalid value."));
            }
        }
        RateLimitSettings.Validate(s.Extra, patch, errors);
        SettingsValidator.Validate(s.Extra, patch, errors);
        return s;
    }

    /// <summary>
    /// Merges a patch object into a stored one at every depth, as PocketBase unmarshals onto its settings: omitted keys
    /// (a hidden secret that GET did not return, a nested section sent in part) keep their stored values.
    /// </summary>
    private static void Merge(JsonObject existing, JsonObject incoming)
    {
        foreach (var (k, v) in incoming)
        {
            if (v is JsonObject inner && existing[k] is JsonObject stored) Merge(stored, inner);
            else existing[k] = v?.DeepClone();
        }
    }

    public static ProjectSettings FromStored(string json)
    {
        var s = new ProjectSettings();
        if (JsonNode.Parse(json) is not JsonObject o) return s;
        var errors = new ErrorData();
        s = Apply(s, o, errors);
        // Stored secrets come back too (Apply copies every key of known sections).
        return s;
    }

    public static string ToStored(ProjectSettings s) => ToJson(s, includeSecrets: true).ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    private static string Str(JsonObject o, string key, string fallback, ErrorData e, int max, bool required)
    {
        if (!o.TryGetPropertyValue(key, out var n)) return fallback;
        if (n is not JsonValue v || !v.TryGetValue<string>(out var s)) { e.Add(key, new FieldError("validation_invalid_value", "Must be a string.")); return fallback; }
        if (required && string.IsNullOrWhiteSpace(s)) { e.Add(key, FieldError.Required()); return fallback; }
        if (s.Length > max) { e.Add(key, new FieldError("validation_length_too_long", $"Must be no more than {max} characters.")); return fallback; }
        return s;
    }

    private static bool Bool(JsonObject o, string key, bool fallback, ErrorData e)
    {
        if (!o.TryGetPropertyValue(key, out var n)) return fallback;
        if (n is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        e.Add(key, new FieldError("validation_invalid_value", "Must be a boolean."));
        return fallback;
    }

    private static double Num(JsonObject o, string key, double fallback, double min, double max, ErrorData e)
    {
        if (!o.TryGetPropertyValue(key, out var n)) return fallback;
        if (n is JsonValue v && v.TryGetValue<double>(out var d) && d >= min && d <= max && d == Math.Floor(d)) return d;
        e.Add(key, new FieldError("validation_invalid_value", $"Must be a whole number between {min} and {max}."));
        return fallback;
    }
}
