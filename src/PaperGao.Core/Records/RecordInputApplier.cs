using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;

namespace PaperGao.Core.Records;

/// <summary>
/// Applies a submitted body onto a record (protocol.md §2.4): plain keys first, then modifiers shortest key first;
/// unknown keys, autodate fields, and hidden fields for non-superusers are ignored. Returns the body the rules see
/// as @request.body (modifiers resolved to the final values).
/// </summary>
public static class RecordInputApplier
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "collectionId", "collectionName", "expand" };
    private static readonly HashSet<string> AuthOnlyInputs = new(StringComparer.Ordinal) { "passwordConfirm", "oldPassword" };

    public static JsonObject Apply(Record record, JsonObject body, bool isNew, bool isSuperuser, ErrorData errors)
    {
        var c = record.Collection;
        var ruleBody = new JsonObject();
        var entries = new List<(string Key, Field Field, FieldModifier? Modifier, JsonNode? Value)>();
        foreach (var (key, value) in body)
        {
            if (Ignored.Contains(key) || (c.IsAuth && AuthOnlyInputs.Contains(key))) continue;
            var (name, modifier) = ParseKey(key);
            var field = c.FindField(name);
            if (field is null || field is AutodateField) continue;
            if (c.IsAuth && field.Name == "tokenKey") continue;
            if (field.Hidden && !isSuperuser && field is not PasswordField) continue;
            entries.Add((key, field, modifier, value));
        }
        foreach (var (key, field, modifier, value) in entries.OrderBy(e => e.Modifier is null ? 0 : 1).ThenBy(e => e.Key.Length))
        {
            if (errors.Contains(field.Name)) continue;
            if (field.Name == "id" && !isNew)
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var s) || s != record.Id)
                    errors.Add("id", new FieldError("validation_pk_change", "The record primary key cannot be changed."));
                continue;
            }
            object? result;
            FieldError? error;
            if (modifier is { } m)
            {
                if (!field.TryApplyModifier(m, record.Values.GetValueOrDefault(field.Name), value, out result, out error)) continue;
            }
            else if (!field.TryNormalize(value, out result, out error))
            {
                errors.Add(field.Name, error ?? new FieldError("validation_invalid_value", "Invalid value."));
                continue;
            }
            if (error is not null) { errors.Add(field.Name, error); continue; }
            record.Values[field.Name] = result;
            if (field is not PasswordField) ruleBody[field.Name] = ToJson(field, result);
            else if (value is not null) ruleBody[field.Name] = value.DeepClone();
        }
        return ruleBody;
    }

    public static (string Name, FieldModifier? Modifier) ParseKey(string key)
    {
        if (key.Length > 1 && key[^1] == '+') return (key[..^1], FieldModifier.Append);
        if (key.Length > 1 && key[0] == '+') return (key[1..], FieldModifier.Prepend);
        if (key.Length > 1 && key[^1] == '-') return (key[..^1], FieldModifier.Remove);
        const string auto = ":autogenerate";
        if (key.EndsWith(auto, StringComparison.Ordinal) && key.Length > auto.Length) return (key[..^auto.Length], FieldModifier.Autogenerate);
        return (key, null);
    }

    private static JsonNode? ToJson(Field f, object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        IEnumerable<string> list => new JsonArray([.. list.Select(x => (JsonNode?)JsonValue.Create(x))]),
        JsonNode n => n.DeepClone(),
        Data.GeoPoint g => new JsonObject { ["lon"] = g.Lon, ["lat"] = g.Lat },
        _ => JsonValue.Create(value.ToString()),
    };
}
