using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Records;

namespace PaperGao.GraphQL.Subscriptions;

/// <summary>Turns a realtime event's record JSON (already cut to what the subscriber may see) back into a Record for the resolvers.</summary>
public static class RecordFromJson
{
    public static Record Read(Collection c, JsonElement json)
    {
        var r = new Record(c);
        foreach (var f in c.Fields)
        {
            if (!json.TryGetProperty(f.Name, out var v)) continue;
            r.Values[f.Name] = f.Kind switch
            {
                ColumnKind.Text => v.ValueKind == JsonValueKind.String ? v.GetString() : "",
                ColumnKind.Number => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0d,
                ColumnKind.Bool => v.ValueKind == JsonValueKind.True,
                ColumnKind.JsonArray => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : new List<string>(),
                ColumnKind.Json => JsonNode.Parse(v.GetRawText()),
                ColumnKind.JsonObject => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("lon", out var lon) && v.TryGetProperty("lat", out var lat)
                    ? new GeoPoint(lon.GetDouble(), lat.GetDouble()) : GeoPoint.Zero,
                _ => null,
            };
        }
        return r;
    }
}
