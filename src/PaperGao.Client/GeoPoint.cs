using System.Text.Json.Serialization;

namespace PaperGao.Client;

/// <summary>The value of a geoPoint field.</summary>
public sealed record GeoPoint([property: JsonPropertyName("lon")] double Lon, [property: JsonPropertyName("lat")] double Lat);
