using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Data;

/// <summary>Small helpers to read stored JSON values.</summary>
public static class JsonValues
{
    /// <summary>The node's string, or null when it is missing or not a JSON string.</summary>
    public static string? StringOf(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static IReadOnlyList<string> ParseStringArray(string raw)
    {
        if (string.IsNullOrEmpty(raw)) return [];
        try
        {
            using var doc = JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind == JsonValueKind.String) return [doc.RootElement.GetString()!];
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
            var list = new List<string>(doc.RootElement.GetArrayLength());
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.String) list.Add(e.GetString()!);
                else list.Add(e.GetRawText());
            }
            return list;
        }
        catch (JsonException)
        {
            return [raw];
        }
    }

    public static GeoPoint ParseGeoPoint(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return GeoPoint.Zero;
            var lon = root.TryGetProperty("lon", out var lo) && lo.ValueKind == JsonValueKind.Number ? lo.GetDouble() : 0;
            var lat = root.TryGetProperty("lat", out var la) && la.ValueKind == JsonValueKind.Number ? la.GetDouble() : 0;
            return new GeoPoint(lon, lat);
        }
        catch (JsonException)
        {
            return GeoPoint.Zero;
        }
    }

    public static bool IsValidJson(string raw)
    {
        if (raw.Length == 0) return false;
        var c = raw[0];
        // Values we write are always valid; a cheap check keeps foreign data (views, imports) safe.
        if (c is '[' or '{' or '"' or 't' or 'f' or 'n' or '-' || char.IsAsciiDigit(c))
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(raw));
            try
            {
                while (reader.Read()) { }
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
        return false;
    }
}
