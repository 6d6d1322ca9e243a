using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PaperGao.Core.Collections.Fields;

/// <summary>Conversions of submitted JSON values shared by the field types.</summary>
internal static class FieldValues
{
    /// <summary>A JSON number (not a numeric string) as a finite double.</summary>
    public static bool TryGetJsonNumber(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return false;
        // The raw text works for both parsed (JsonElement) and created (CLR primitive) values.
        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>A decimal number string ("12.5", " -3e2 "); "NaN", "Infinity", hex and out-of-range values are refused.</summary>
    public static bool TryParseNumber(string s, out double value)
    {
        value = 0;
        var t = s.AsSpan().Trim();
        if (t.Length == 0) return false;
        foreach (var c in t)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')) return false;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    public static bool IsString(JsonNode? node, out string value)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>
    /// The string form of a scalar: null → "", strings as is, numbers as their JSON text, booleans "true"/"false".
    /// Arrays and objects are refused.
    /// </summary>
    public static bool TryToText(JsonNode? node, out string value)
    {
        value = "";
        switch (node)
        {
            case null:
                return true;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.String: value = v.GetValue<string>(); return true;
                    case JsonValueKind.Number: value = v.ToJsonString(); return true;
                    case JsonValueKind.True: value = "true"; return true;
                    case JsonValueKind.False: value = "false"; return true;
                    case JsonValueKind.Null: return true;
                    default: return false;
                }
            default:
                return false;
        }
    }

    /// <summary>
    /// A string or an array of strings as a list of unique non-empty strings (order kept). A string holding a JSON
    /// array ("[\"a\",\"b\"]", as multipart sends it) is parsed; numbers and booleans take their text form;
    /// null and "" give an empty list. Objects and nested arrays are refused.
    /// </summary>
    public static bool TryToStringList(JsonNode? node, out List<string> values)
    {
        values = [];
        switch (node)
        {
            case null:
                return true;
            case JsonArray arr:
                foreach (var item in arr)
                {
                    if (item is null) continue;
                    if (item is not JsonValue || !TryToText(item, out var s)) { values = []; return false; }
                    values.Add(s);
                }
                values = Unique(values);
                return true;
            case JsonValue:
                if (!TryToText(node, out var text)) return false;
                var trimmed = text.Trim();
                if (trimmed.Length == 0) return true;
                if (trimmed[0] == '[' && IsString(node, out _))
                {
                    try
                    {
                        if (JsonNode.Parse(trimmed) is JsonArray parsed) return TryToStringList(parsed, out values);
                    }
                    catch (JsonException)
                    {
                        // not JSON: a plain value
                    }
                }
                values.Add(text);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Non-empty values without duplicates, first occurrence kept.</summary>
    public static List<string> Unique(IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var v in values)
        {
            if (v.Length > 0 && seen.Add(v)) result.Add(v);
        }
        return result;
    }

    /// <summary>The stored CLR value of a select/relation/file field as a list.</summary>
    public static IReadOnlyList<string> ToList(object? value) => value switch
    {
        null => [],
        string s => s.Length == 0 ? [] : [s],
        IReadOnlyList<string> list => list,
        IEnumerable<string> items => [.. items],
        _ => [],
    };

    /// <summary>Number of Unicode code points (what Go's utf8.RuneCountInString counts).</summary>
    public static int RuneCount(string s)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (!char.IsLowSurrogate(c)) n++;
        }
        return n;
    }

    /// <summary>
    /// Compiles a user pattern. NonBacktracking keeps matching linear like Go's RE2 (it also refuses the same
    /// constructs RE2 lacks: backreferences and lookarounds). Null when the pattern is invalid.
    /// </summary>
    public static Regex? TryCompile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
