using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>Reads PocketBase's _collections (a few rows: read at once) into <see cref="PbCollection"/>s, oldest first.</summary>
public static class PbCollectionReader
{
    public static async Task<List<PbCollection>> ReadAsync(PbDataFolder pb, CancellationToken ct = default)
    {
        await using var cmd = pb.Connection.CreateCommand();
        cmd.CommandText = "SELECT id, name, type, system, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated " +
                          "FROM _collections ORDER BY created, rowid";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<PbCollection>();
        while (await r.ReadAsync(ct))
        {
            var name = r.GetString(1);
            try
            {
                var json = new JsonObject
                {
                    ["id"] = r.GetString(0),
                    ["name"] = name,
                    ["type"] = r.GetString(2),
                    ["system"] = r.GetValue(3) switch { long l => l != 0, string s => s is "1" or "true" or "TRUE", _ => false },
                    ["fields"] = ParseArray(r, 4),
                    ["indexes"] = ParseArray(r, 5),
                    ["listRule"] = Rule(r, 6),
                    ["viewRule"] = Rule(r, 7),
                    ["createRule"] = Rule(r, 8),
                    ["updateRule"] = Rule(r, 9),
                    ["deleteRule"] = Rule(r, 10),
                    ["created"] = r.IsDBNull(12) ? "" : r.GetString(12),
                    ["updated"] = r.IsDBNull(13) ? "" : r.GetString(13),
                };
                if (!r.IsDBNull(11) && JsonNode.Parse(r.GetString(11)) is JsonObject options)
                {
                    foreach (var (key, value) in options.ToList())
                    {
                        options.Remove(key);
                        json[key] = value;
                    }
                }
                list.Add(new PbCollection(r.GetString(0), name, r.GetString(2), json["system"]!.GetValue<bool>(), json));
            }
            catch (JsonException ex)
            {
                throw new PocketBaseImportException($"The definition of the PocketBase collection '{name}' is not valid JSON: {ex.Message}", ex);
            }
        }
        return list;
    }

    private static JsonArray ParseArray(System.Data.Common.DbDataReader r, int i) =>
        r.IsDBNull(i) ? [] : JsonNode.Parse(r.GetString(i)) as JsonArray ?? [];

    private static JsonNode? Rule(System.Data.Common.DbDataReader r, int i) => r.IsDBNull(i) ? null : JsonValue.Create(r.GetString(i));
}
