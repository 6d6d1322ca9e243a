using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections;

/// <summary>The collection JSON of protocol.md §4.2/4.3, in both directions.</summary>
public static class CollectionJson
{
    private static readonly (string Key, Func<AuthOptions, TokenConfig> Get, Action<AuthOptions, TokenConfig> Set)[] Tokens =
    [
        ("authToken", a => a.AuthToken, (a, t) => a.AuthToken = t),
        ("passwordResetToken", a => a.PasswordResetToken, (a, t) => a.PasswordResetToken = t),
        ("emailChangeToken", a => a.EmailChangeToken, (a, t) => a.EmailChangeToken = t),
        ("verificationToken", a => a.VerificationToken, (a, t) => a.VerificationToken = t),
        ("fileToken", a => a.FileToken, (a, t) => a.FileToken = t),
    ];

    /// <summary>Writes a collection. Secrets are written only for storage (includeSecrets), never to API responses.</summary>
    public static void Write(Utf8JsonWriter w, Collection c, bool includeSecrets = false)
    {
        w.WriteStartObject();
        w.WriteString("id", c.Id);
        w.WriteString("name", c.Name);
        w.WriteString("type", c.Type.ToJson());
        w.WriteBoolean("system", c.System);
        WriteRule(w, "listRule", c.ListRule);
        WriteRule(w, "viewRule", c.ViewRule);
        WriteRule(w, "createRule", c.CreateRule);
        WriteRule(w, "updateRule", c.UpdateRule);
        WriteRule(w, "deleteRule", c.DeleteRule);
        w.WritePropertyName("fields");
        w.WriteStartArray();
        foreach (var f in c.Fields) FieldJson.Write(w, f);
        w.WriteEndArray();
        w.WritePropertyName("indexes");
        w.WriteStartArray();
        foreach (var i in c.Indexes) w.WriteStringValue(i);
        w.WriteEndArray();
        w.WriteString("created", c.Created);
        w.WriteString("updated", c.Updated);
        if (c.IsView) w.WriteString("viewQuery", c.ViewQuery ?? "");
        if (c.Auth is { } a)
        {
            WriteRule(w, "authRule", a.AuthRule);
            WriteRule(w, "manageRule", a.ManageRule);
            w.WritePropertyName("passwordAuth");
            w.WriteStartObject();
            w.WriteBoolean("enabled", a.PasswordAuthEnabled);
            w.WritePropertyName("identityFields");
            w.WriteStartArray();
            foreach (var f in a.IdentityFields) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
            foreach (var (key, get, _) in Tokens)
            {
                var t = get(a);
                w.WritePropertyName(key);
                w.WriteStartObject();
                w.WriteNumber("duration", t.Duration);
                if (includeSecrets) w.WriteString("secret", t.Secret);
                w.WriteEndObject();
            }
            foreach (var (key, value) in a.Extra)
            {
                w.WritePropertyName(key);
                var copy = value?.DeepClone();
                if (!includeSecrets && key == "oauth2" && copy is JsonObject o && o["providers"] is JsonArray providers)
                {
                    foreach (var p in providers.OfType<JsonObject>()) p.Remove("clientSecret");
                }
                if (copy is null) w.WriteNullValue(); else copy.WriteTo(w);
            }
        }
        w.WriteEndObject();
    }

    public static string ToJsonString(Collection c, bool includeSecrets)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) Write(w, c, includeSecrets);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>Reads a stored collection (secrets included).</summary>
    public static Collection ReadStored(string json)
    {
        var obj = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("Stored collection is not a JSON object.");
        CollectionTypes.TryParse(obj["type"]?.GetValue<string>(), out var type);
        var c = new Collection
        {
            Id = obj["id"]?.GetValue<string>() ?? "",
            Type = type,
            Auth = type == CollectionType.Auth ? new AuthOptions() : null,
        };
        var errors = new ErrorData();
        Apply(c, obj, errors, allowSecrets: true);
        if (!errors.IsEmpty) throw new InvalidDataException($"Stored collection '{c.Name}' is invalid.");
        c.Id = obj["id"]?.GetValue<string>() ?? c.Id;
        c.System = obj["system"]?.GetValue<bool>() ?? false;
        c.Created = obj["created"]?.GetValue<string>() ?? "";
        c.Updated = obj["updated"]?.GetValue<string>() ?? "";
        return c;
    }

    /// <summary>
    /// Applies the keys present in a submitted collection JSON onto a collection (a scaffold on create, a clone on update).
    /// Arrays (fields, indexes) are replaced wholesale; a submitted field with the id of a current one is merged into it. Type errors are added to errors keyed like the JSON.
    /// id, type, system, created and updated are not applied here: the caller decides.
    /// </summary>
    public static void Apply(Collection c, JsonObject body, ErrorData errors, bool allowSecrets = false)
    {
        if (body.TryGetPropertyValue("name", out var name))
        {
            if (TryString(name, out var s)) c.Name = s.Trim(); else errors.Add("name", Invalid("Must be a string."));
        }
        ApplyRule(body, "listRule", errors, r => c.ListRule = r);
        ApplyRule(body, "viewRule", errors, r => c.ViewRule = r);
        ApplyRule(body, "createRule", errors, r => c.CreateRule = r);
        ApplyRule(body, "updateRule", errors, r => c.UpdateRule = r);
        ApplyRule(body, "deleteRule", errors, r => c.DeleteRule = r);
        if (body.TryGetPropertyValue("fields", out var fieldsNode))
        {
            if (fieldsNode is JsonArray arr)
            {
                var fields = new List<Field>();
                var fieldErrors = new ErrorData();
                var before = c.Fields;
                for (var i = 0; i < arr.Count; i++)
                {
                    var fe = new ErrorData();
                    if (arr[i] is JsonObject fo && FieldJson.Read(fo, fe, before) is { } field && fe.IsEmpty) fields.Add(field);
                    else if (arr[i] is not JsonObject) fieldErrors.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Invalid("Must be an object."));
                    fieldErrors.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), fe);
                }
                errors.Add("fields", fieldErrors);
                c.Fields = fields;
            }
            else if (fieldsNode is not null)
            {
                errors.Add("fields", Invalid("Must be an array."));
            }
        }
        if (body.TryGetPropertyValue("indexes", out var indexesNode))
        {
            if (indexesNode is JsonArray arr && arr.All(n => n is JsonValue v && v.TryGetValue<string>(out _)))
                c.Indexes = [.. arr.Select(n => n!.GetValue<string>())];
            else if (indexesNode is not null)
                errors.Add("indexes", Invalid("Must be an array of strings."));
            else c.Indexes = [];
        }
        if (c.IsView && body.TryGetPropertyValue("viewQuery", out var vq))
        {
            if (TryString(vq, out var s)) c.ViewQuery = s; else errors.Add("viewQuery", Invalid("Must be a string."));
        }
        if (c.Auth is { } a) ApplyAuth(a, body, errors, allowSecrets);
    }

    private static void ApplyAuth(AuthOptions a, JsonObject body, ErrorData errors, bool allowSecrets)
    {
        ApplyRule(body, "authRule", errors, r => a.AuthRule = r);
        ApplyRule(body, "manageRule", errors, r => a.ManageRule = r);
        if (body["passwordAuth"] is JsonObject pa)
        {
            var pe = new ErrorData();
            if (pa.TryGetPropertyValue("enabled", out var en))
            {
                if (en is JsonValue v && v.TryGetValue<bool>(out var b)) a.PasswordAuthEnabled = b; else pe.Add("enabled", Invalid("Must be a boolean."));
            }
            if (pa.TryGetPropertyValue("identityFields", out var idf))
            {
                if (idf is JsonArray arr && arr.All(n => n is JsonValue v2 && v2.TryGetValue<string>(out _)))
                    a.IdentityFields = [.. arr.Select(n => n!.GetValue<string>())];
                else pe.Add("identityFields", Invalid("Must be an array of strings."));
            }
            errors.Add("passwordAuth", pe);
        }
        foreach (var (key, get, set) in Tokens)
        {
            if (body[key] is not JsonObject t) continue;
            var current = get(a);
            var duration = current.Duration;
            if (t.TryGetPropertyValue("duration", out var d))
            {
                if (d is JsonValue dv && dv.TryGetValue<double>(out var dd) && dd >= 0 && dd <= 10L * 365 * 24 * 3600 && dd == Math.Floor(dd)) duration = (long)dd;
                else errors.Add(key, new ErrorData().Add("duration", Invalid("Must be a whole number of seconds.")));
            }
            var secret = current.Secret;
            if (allowSecrets && t["secret"] is JsonValue sv && sv.TryGetValue<string>(out var ss)) secret = ss;
            set(a, new TokenConfig(duration, secret));
        }
        foreach (var key in (string[])["authAlert", "oauth2", "mfa", "otp", "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate"])
        {
            if (!body.TryGetPropertyValue(key, out var node)) continue;
            if (node is not JsonObject incoming) { errors.Add(key, Invalid("Must be an object.")); continue; }
            var merged = incoming.DeepClone().AsObject();
            // Write-only OAuth2 client secrets: an update that omits them keeps the stored ones.
            if (key == "oauth2" && a.Extra["oauth2"] is JsonObject old && old["providers"] is JsonArray oldProviders && merged["providers"] is JsonArray newProviders)
            {
                foreach (var np in newProviders.OfType<JsonObject>())
                {
                    if (np.ContainsKey("clientSecret")) continue;
                    var match = oldProviders.OfType<JsonObject>().FirstOrDefault(op => op["name"]?.ToString() == np["name"]?.ToString());
                    if (match?["clientSecret"] is { } secret) np["clientSecret"] = secret.DeepClone();
                }
            }
            a.Extra[key] = merged;
        }
    }

    private static void ApplyRule(JsonObject body, string key, ErrorData errors, Action<string?> set)
    {
        if (!body.TryGetPropertyValue(key, out var node)) return;
        if (node is null) set(null);
        else if (TryString(node, out var s)) set(s);
        else errors.Add(key, Invalid("Must be a string or null."));
    }

    private static void WriteRule(Utf8JsonWriter w, string key, string? rule)
    {
        if (rule is null) w.WriteNull(key); else w.WriteString(key, rule);
    }

    private static bool TryString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) { value = s; return true; }
        value = "";
        return false;
    }

    private static FieldError Invalid(string message) => new("validation_invalid_value", message);
}
