using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// A cell of a PocketBase table (SQLite: TEXT, INTEGER, REAL, BLOB or NULL) as the CLR value of the PaperGao field
/// (see <see cref="Field"/>), unchanged in meaning: text as is (password hashes and tokenKeys included), 0/1 booleans,
/// JSON kept verbatim.
/// </summary>
public static class PbValueConverter
{
    public static object? ToClr(Field field, object? cell)
    {
        if (cell is DBNull) cell = null;
        if (cell is byte[] bytes) cell = Encoding.UTF8.GetString(bytes);
        return field.Kind switch
        {
            ColumnKind.Text => Text(field, cell),
            ColumnKind.Number => Number(cell),
            ColumnKind.Bool => Bool(cell),
            ColumnKind.JsonArray => cell is null ? [] : JsonValues.ParseStringArray(Str(cell).Trim() is { Length: > 0 } s ? s : "[]"),
            ColumnKind.Json => Json(cell),
            ColumnKind.JsonObject => cell is string g ? JsonValues.ParseGeoPoint(g) : GeoPoint.Zero,
            _ => null,
        };
    }

    private static string Str(object cell) => cell as string ?? Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "";

    private static string Text(Field field, object? cell)
    {
        if (cell is null) return "";
        var s = Str(cell);
        // A single select/relation/file that once was multiple may still hold a JSON array: PocketBase reads its last item.
        if (field is SelectField or RelationField or FileField && s.StartsWith('['))
        {
            var items = JsonValues.ParseStringArray(s);
            return items.Count == 0 ? "" : items[^1];
        }
        return s;
    }

    private static double Number(object? cell) => cell switch
    {
        null => 0,
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => 0,
    };

    private static bool Bool(object? cell) => cell switch
    {
        long l => l != 0,
        double d => d != 0,
        string s => s is "1" or "true" or "TRUE" or "True",
        _ => false,
    };

    /// <summary>A json field: valid JSON stays as written (a raw string), anything else becomes a JSON string; NULL stays null.</summary>
    private static object? Json(object? cell)
    {
        if (cell is null) return null;
        var s = Str(cell);
        if (s.Length == 0) return null;
        return JsonValues.IsValidJson(s) ? s : JsonValue.Create(s);
    }
}
