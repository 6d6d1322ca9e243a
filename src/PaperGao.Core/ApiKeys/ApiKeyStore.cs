using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Data.Common;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.ApiKeys;

/// <summary>The "_apiKeys" system table of a project (the same SQL on both dialects).</summary>
public static class ApiKeyStore
{
    private const string Columns = "\"id\", \"name\", \"hash\", \"scopes\", \"expires\", \"lastUsed\", \"created\", \"updated\"";

    /// <summary>When each key's last use was last written (per project database): at most one write a minute per key.</summary>
    private static readonly ConditionalWeakTable<ProjectDatabase, ConcurrentDictionary<string, long>> Touched = new();
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    public static async Task InsertAsync(ProjectDatabase db, ApiKey key, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"INSERT INTO \"_apiKeys\" ({Columns}) VALUES ({p.Add(key.Id)}, {p.Add(key.Name)}, {p.Add(key.Hash)}, {p.Add(ScopesJson(key))}, " +
                  $"{p.Add(key.Expires)}, {p.Add(key.LastUsed)}, {p.Add(key.Created)}, {p.Add(key.Updated)})";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    public static Task<List<ApiKey>> ListAsync(ProjectDatabase db, CancellationToken ct) =>
        db.ReadAsync(async conn =>
        {
            await using var cmd = db.Command(conn, null, $"SELECT {Columns} FROM \"_apiKeys\" ORDER BY \"created\", \"id\"");
            return await ReadAllAsync(cmd, ct);
        }, ct);

    public static Task<ApiKey?> FindAsync(ProjectDatabase db, string id, CancellationToken ct) =>
        db.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            await using var cmd = db.Command(conn, null, $"SELECT {Columns} FROM \"_apiKeys\" WHERE \"id\" = {p.Add(id)}", p);
            var list = await ReadAllAsync(cmd, ct);
            return list.Count > 0 ? list[0] : null;
        }, ct);

    public static async Task<bool> DeleteAsync(ProjectDatabase db, string id, CancellationToken ct)
    {
        var p = new SqlParams();
        var n = await db.WriteAsync(tx => db.ExecuteAsync(tx, $"DELETE FROM \"_apiKeys\" WHERE \"id\" = {p.Add(id)}", p, ct), ct);
        return n > 0;
    }

    /// <summary>
    /// Records a use of the key, at most once a minute per key and off the request path: the write runs in the
    /// background and its failure is ignored (a missed "last used" is harmless; a failed request would not be).
    /// </summary>
    /// <param name="at">The moment of use on the project's clock, in the storage layout.</param>
    public static void RecordUse(ProjectDatabase db, string id, string at)
    {
        var now = Environment.TickCount64;
        var seen = Touched.GetOrCreateValue(db);
        if (seen.TryGetValue(id, out var last) && now - last < TouchInterval.TotalMilliseconds) return;
        seen[id] = now;
        _ = Task.Run(async () =>
        {
            try
            {
                var p = new SqlParams();
                await db.WriteAsync(tx => db.ExecuteAsync(tx, $"UPDATE \"_apiKeys\" SET \"lastUsed\" = {p.Add(at)} WHERE \"id\" = {p.Add(id)}", p), CancellationToken.None);
            }
            catch (Exception)
            {
                // Best effort (the project may be closing); the next use a minute later tries again.
                seen.TryRemove(id, out _);
            }
        });
    }

    public static string ScopesJson(ApiKey key)
    {
        var o = new JsonObject { ["superuser"] = key.Superuser };
        if (key.Push) o["push"] = true;
        var arr = new JsonArray();
        foreach (var s in key.Scopes)
            arr.Add(new JsonObject { ["collection"] = s.CollectionId, ["actions"] = new JsonArray([.. ApiKeyActions.All.Where(s.Actions.Contains).Select(a => (JsonNode)a)]) });
        o["collections"] = arr;
        return o.ToJsonString();
    }

    private static async Task<List<ApiKey>> ReadAllAsync(DbCommand cmd, CancellationToken ct)
    {
        var list = new List<ApiKey>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var (superuser, scopes, push) = ParseScopes(r.GetString(3));
            list.Add(new ApiKey(r.GetString(0), r.GetString(1), r.GetString(2), superuser, scopes, r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7)) { Push = push });
        }
        return list;
    }

    private static (bool Superuser, List<ApiKeyScope> Scopes, bool Push) ParseScopes(string json)
    {
        var scopes = new List<ApiKeyScope>();
        if (JsonNode.Parse(json) is not JsonObject o) return (false, scopes, false);
        var superuser = o["superuser"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        var push = o["push"] is JsonValue pv && pv.TryGetValue<bool>(out var pb) && pb;
        if (o["collections"] is JsonArray arr)
        {
            foreach (var item in arr.OfType<JsonObject>())
            {
                var id = item["collection"]?.GetValue<string>() ?? "";
                var actions = new HashSet<string>(StringComparer.Ordinal);
                if (item["actions"] is JsonArray acts)
                {
                    foreach (var a in acts)
                    {
                        if (a is JsonValue av && av.TryGetValue<string>(out var s) && ApiKeyActions.IsKnown(s)) actions.Add(s);
                    }
                }
                if (id.Length > 0) scopes.Add(new ApiKeyScope(id, actions));
            }
        }
        return (superuser, scopes, push);
    }
}
