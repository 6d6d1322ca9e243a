using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace PaperGao.Api.Tests.Import;

/// <summary>
/// Writes a small PocketBase 0.23+ pb_data folder for a test (the layout of data.db that PocketBase writes: _collections
/// with fields/indexes/options as JSON, _params, one table or view per collection, storage/&lt;collectionId&gt;/&lt;recordId&gt;/).
/// </summary>
internal sealed class PbDataBuilder : IDisposable
{
    private readonly SqliteConnection _db;

    public PbDataBuilder(bool withSettings = true)
    {
        Dir = Directory.CreateTempSubdirectory("pb_data-").FullName;
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(Dir, "data.db"), Pooling = false }.ToString());
        _db.Open();
        Execute("""
            CREATE TABLE _collections (id TEXT PRIMARY KEY, system BOOLEAN DEFAULT FALSE NOT NULL, type TEXT DEFAULT 'base' NOT NULL,
              name TEXT UNIQUE NOT NULL, fields JSON DEFAULT '[]' NOT NULL, listRule TEXT DEFAULT NULL, viewRule TEXT DEFAULT NULL,
              createRule TEXT DEFAULT NULL, updateRule TEXT DEFAULT NULL, deleteRule TEXT DEFAULT NULL, options JSON DEFAULT '{}' NOT NULL,
              created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL, indexes JSON DEFAULT '[]' NOT NULL);
            CREATE TABLE _params (created TEXT DEFAULT '' NOT NULL, id TEXT PRIMARY KEY NOT NULL, updated TEXT DEFAULT '' NOT NULL, value JSON DEFAULT NULL);
            CREATE TABLE _migrations (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL);
            """);
        if (withSettings)
            Execute("INSERT INTO _params (id, value) VALUES ('settings', $v)", ("$v", """{"meta":{"appName":"edge","appURL":"http://localhost:8090"}}"""));
    }

    public string Dir { get; }

    public static JsonObject IdField() => new()
    {
        ["id"] = "text3208210256", ["name"] = "id", ["type"] = "text", ["system"] = true, ["primaryKey"] = true, ["required"] = true,
        ["hidden"] = false, ["presentable"] = false, ["min"] = 15, ["max"] = 15, ["pattern"] = "^[a-z0-9]+$", ["autogeneratePattern"] = "[a-z0-9]{15}",
    };

    public static JsonObject Field(string id, string name, string type, JsonObject? options = null)
    {
        var f = new JsonObject { ["id"] = id, ["name"] = name, ["type"] = type, ["system"] = false, ["hidden"] = false, ["presentable"] = false, ["required"] = false };
        foreach (var (k, v) in options ?? []) f[k] = v?.DeepClone();
        return f;
    }

    public static JsonObject[] Autodates() =>
    [
        Field("autodate2990389176", "created", "autodate", new JsonObject { ["onCreate"] = true, ["onUpdate"] = false }),
        Field("autodate3332085495", "updated", "autodate", new JsonObject { ["onCreate"] = true, ["onUpdate"] = true }),
    ];

    /// <summary>Adds a base collection (and its table) or a view collection (and its SQL view).</summary>
    public PbDataBuilder Collection(string id, string name, string type, IEnumerable<JsonObject> fields, string? listRule = "", string? viewQuery = null, IEnumerable<string>? indexes = null)
    {
        var fieldList = fields.ToList();
        var options = viewQuery is null ? new JsonObject() : new JsonObject { ["viewQuery"] = viewQuery };
        Execute("INSERT INTO _collections (id, type, name, fields, listRule, viewRule, options, indexes, created, updated) VALUES ($id, $type, $name, $fields, $rule, $rule, $options, $indexes, $now, $now)",
            ("$id", id), ("$type", type), ("$name", name), ("$fields", new JsonArray([.. fieldList]).ToJsonString()), ("$rule", listRule),
            ("$options", options.ToJsonString()), ("$indexes", new JsonArray([.. (indexes ?? []).Select(i => JsonValue.Create(i))]).ToJsonString()),
            ("$now", "2024-01-02 03:04:05.678Z"));
        if (type == "view")
        {
            Execute($"CREATE VIEW \"{name}\" AS {viewQuery}");
            return this;
        }
        var columns = fieldList.Select(f => $"\"{f["name"]}\" {ColumnType(f)}");
        Execute($"CREATE TABLE \"{name}\" ({string.Join(", ", columns)})");
        return this;
    }

    public PbDataBuilder Row(string table, params (string Column, object? Value)[] values)
    {
        var names = string.Join(", ", values.Select(v => $"\"{v.Column}\""));
        var ps = string.Join(", ", values.Select((_, i) => "$p" + i));
        Execute($"INSERT INTO \"{table}\" ({names}) VALUES ({ps})", [.. values.Select((v, i) => ("$p" + i, v.Value))]);
        return this;
    }

    /// <summary>Writes a file of a record (and its .attrs sidecar, as PocketBase does).</summary>
    public PbDataBuilder File(string collectionId, string recordId, string relativePath, byte[] content)
    {
        var path = Path.Combine(Dir, "storage", collectionId, recordId, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        System.IO.File.WriteAllText(path + ".attrs", """{"user.content_type":"image/png","md5":""}""");
        return this;
    }

    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in parameters) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Closes data.db so the importer (and file copies) see a finished file.</summary>
    public string Done()
    {
        _db.Close();
        SqliteConnection.ClearAllPools();
        return Dir;
    }

    private static string ColumnType(JsonObject f)
    {
        var type = f["type"]!.GetValue<string>();
        var multiple = f["maxSelect"] is JsonValue m && m.GetValue<int>() > 1;
        if (f["name"]!.GetValue<string>() == "id") return "TEXT PRIMARY KEY NOT NULL";
        return type switch
        {
            "number" => "NUMERIC DEFAULT 0 NOT NULL",
            "bool" => "BOOLEAN DEFAULT FALSE NOT NULL",
            "json" => "JSON DEFAULT NULL",
            "geoPoint" => """JSON DEFAULT '{"lon":0,"lat":0}' NOT NULL""",
            "select" or "file" or "relation" when multiple => "JSON DEFAULT '[]' NOT NULL",
            _ => "TEXT DEFAULT '' NOT NULL",
        };
    }

    public void Dispose()
    {
        _db.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
