using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A geographic point ("geoPoint"): {"lon": number, "lat": number}, zero value (0,0).</summary>
public sealed class GeoPointField : Field
{
    /// <summary>Required means not (0,0).</summary>
    public bool Required { get; set; }

    public override string Type => "geoPoint";
    public override ColumnKind Kind => ColumnKind.JsonObject;
    public override object? ZeroValue => GeoPoint.Zero;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer) => writer.WriteBoolean("required", Required);

    /// <summary>
    /// An object {"lon", "lat"} whose members are numbers or numeric strings (missing ones are 0), a string holding
    /// such an object (multipart), or null/"" (the zero point). Anything else is refused.
    /// </summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        error = null;
        if (TryPoint(input, out var point))
        {
            value = point;
            return true;
        }
        value = null;
        error = Invalid();
        return false;
    }

    private static bool TryPoint(JsonNode? input, out GeoPoint point)
    {
        point = GeoPoint.Zero;
        switch (input)
        {
            case null:
                return true;
            case JsonObject o:
                if (!TryCoordinate(o["lon"], out var lon) || !TryCoordinate(o["lat"], out var lat)) return false;
                point = new GeoPoint(lon, lat);
                return true;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Null:
                return true;
            case JsonValue v when FieldValues.IsString(v, out var s):
                s = s.Trim();
                if (s.Length == 0) return true;
                if (s[0] != '{') return false;
                try
                {
                    return JsonNode.Parse(s) is JsonObject parsed && TryPoint(parsed, out point);
                }
                catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
                {
                    return false;
                }
            default:
                return false;
        }
    }

    private static bool TryCoordinate(JsonNode? node, out double value)
    {
        value = 0;
        if (node is null || node.GetValueKind() == JsonValueKind.Null) return true;
        if (FieldValues.TryGetJsonNumber(node, out value)) return true;
        return FieldValues.IsString(node, out var s) && FieldValues.TryParseNumber(s, out value);
    }

    public override FieldError? Validate(object? value)
    {
        var p = value is GeoPoint g ? g : GeoPoint.Zero;
        if (p.Lon == 0 && p.Lat == 0) return Required ? FieldError.Required() : null;
        if (!double.IsFinite(p.Lat) || !double.IsFinite(p.Lon) || p.Lat is < -90 or > 90 || p.Lon is < -180 or > 180) return Invalid();
        return null;
    }

    private static FieldError Invalid() => new("validation_invalid_geo_point",
        "Invalid geoPoint coordinates, make sure that the lat and lon values are within the -90/90 and -180/180 range.");
}
