using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PaperGao.Api.Tests.Import;

/// <summary>Reads the PocketBase fixture's data.db directly (read-only): what the imported server must answer.</summary>
internal static class FixtureData
{
    public static List<Dictionary<string, object?>> Rows(string pbDataDir, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(pbDataDir, "data.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (r.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < r.FieldCount; i++) row[r.GetName(i)] = r.IsDBNull(i) ? null : r.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The collections of the fixture that have a table (not views): name and id.</summary>
    public static List<(string Name, string Id)> Tables(string pbDataDir) =>
        [.. Rows(pbDataDir, "SELECT name, id FROM _collections WHERE type != 'view' ORDER BY name").Select(r => ((string)r["name"]!, (string)r["id"]!))];

    /// <summary>The token options of an auth collection: tokenKey + secret sign its tokens (protocol.md §5.2).</summary>
    public static string Secret(string pbDataDir, string collection, string tokenType)
    {
        var options = (string)Rows(pbDataDir, $"SELECT options FROM _collections WHERE name = '{collection}'")[0]["options"]!;
        return JsonNode.Parse(options)![tokenType]!["secret"]!.GetValue<string>();
    }
}
