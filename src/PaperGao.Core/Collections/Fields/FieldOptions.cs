using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// Reading and writing of field option values. Each TryX returns true (with the value) when the key is present
/// and well typed; null reads as the zero value, as Go's JSON decoding does. A wrongly typed value adds an error
/// keyed by the option name and returns false, so the option keeps its default.
/// </summary>
internal static class FieldOptions
{
    /// <summary>The largest integer exactly representable in a JSON number (2^53 - 1).</summary>
    public const long MaxSafeInt = 9007199254740991;

    public static bool TryBool(JsonObject json, string key, ErrorData errors, out bool value)
    {
        value = false;
        if (!json.TryGetPropertyValue(key, out var node)) return false;
        if (node is null) return true;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            value = v.GetValueKind() == JsonValueKind.True;
            return true;
        }
        errors.Add(key, FieldErrors.InvalidOption("Must be a boolean."));
        return false;
    }

    public static bool TryString(JsonObject json, string key, ErrorData errors, out string value)
    {
        value = "";
        if (!json.TryGetPropertyValue(key, out var node)) return false;
        if (node is null) return true;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        errors.Add(key, FieldErrors.InvalidOption("Must be a string."));
        return false;
    }

    public static bool TryInt(JsonObject json, string key, ErrorData errors, out int value)
    {
        value = 0;
        if (!TryLong(json, key, errors, out var l)) return false;
        if (l is < int.MinValue or > int.MaxValue)
        {
            errors.Add(key, FieldErrors.InvalidOption("Must be an integer."));
            return false;
        }
        value = (int)l;
        return true;
    }

    public static bool TryLong(JsonObject json, string key, ErrorData errors, out long value)
    {
        value = 0;
        if (!json.TryGetPropertyValue(key, out var node)) return false;
        if (node is null) return true;
        if (FieldValues.TryGetJsonNumber(node, out var d) && d == Math.Floor(d) && Math.Abs(d) <= MaxSafeInt)
        {
            value = (long)d;
            return true;
        }
        errors.Add(key, FieldErrors.InvalidOption("Must be an integer."));
        return false;
    }

    /// <summary>A number or null (null = unset).</summary>
    public static bool TryNullableDouble(JsonObject json, string key, ErrorData errors, out double? value)
    {
        value = null;
        if (!json.TryGetPropertyValue(key, out var node)) return false;
        if (node is null) return true;
        if (FieldValues.TryGetJsonNumber(node, out var d))
        {
            value = d;
            return true;
        }
        errors.Add(key, FieldErrors.InvalidOption("Must be a number or null."));
        return false;
    }

    public static bool TryStringList(JsonObject json, string key, ErrorData errors, out List<string> value)
    {
        value = [];
        if (!json.TryGetPropertyValue(key, out var node)) return false;
        if (node is null) return true;
        if (node is JsonArray arr)
        {
            var list = new List<string>(arr.Count);
            foreach (var item in arr)
            {
                if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String) list.Add(v.GetValue<string>());
                else
                {
                    errors.Add(key, FieldErrors.InvalidOption("Must be an array of strings."));
                    return false;
                }
            }
            value = list;
            return true;
        }
        errors.Add(key, FieldErrors.InvalidOption("Must be an array of strings."));
        return false;
    }

    public static void WriteStringList(Utf8JsonWriter w, string key, IEnumerable<string> values)
    {
        w.WritePropertyName(key);
        w.WriteStartArray();
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    public static void WriteNullableNumber(Utf8JsonWriter w, string key, double? value)
    {
        if (value is { } d) w.WriteNumber(key, d); else w.WriteNull(key);
    }

    public static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
