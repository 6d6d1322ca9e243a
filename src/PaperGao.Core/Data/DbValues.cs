using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Data;

/// <summary>Conversions between field CLR values and what is stored, shared by both dialects.</summary>
public static class DbValues
{
    /// <summary>
    /// CLR values used in records: string (text kinds), double (number), bool, IReadOnlyList&lt;string&gt; (json arrays),
    /// JsonNode or raw JSON string (json), GeoPoint (json object).
    /// </summary>
    public static object ToStorage(ColumnKind kind, object? value, bool boolAsInt) => kind switch
    {
        ColumnKind.Text => value switch { null => "", string s => s, _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
        ColumnKind.Number => value switch { null => 0d, double d => d, _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) },
        ColumnKind.Bool => boolAsInt ? (value is true ? 1L : 0L) : value is true,
        ColumnKind.JsonArray => value switch
        {
            null => "[]",
            string s => JsonSerializer.Serialize(new[] { s }),
            IEnumerable<string> list => JsonSerializer.Serialize(list),
            _ => "[]",
        },
        ColumnKind.Json => value switch
        {
            null => DBNull.Value,
            JsonNode n => n.ToJsonString(),
            string s => s,
            _ => JsonSerializer.Serialize(value),
        },
        ColumnKind.JsonObject => value switch
        {
            GeoPoint g => g.ToJson(),
            string s => s,
            _ => GeoPoint.Zero.ToJson(),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
