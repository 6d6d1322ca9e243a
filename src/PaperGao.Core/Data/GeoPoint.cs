using System.Globalization;

namespace PaperGao.Core.Data;

/// <summary>The value of a geoPoint field.</summary>
public readonly record struct GeoPoint(double Lon, double Lat)
{
    public static readonly GeoPoint Zero = new(0, 0);

    public string ToJson() => string.Create(CultureInfo.InvariantCulture, $"{{\"lon\":{Lon},\"lat\":{Lat}}}");
}
