using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Deploy;

/// <summary>
/// Deployed functions in the project's own database, so every node runs the same code: each deploy (and each
/// rollback) is a new numbered version holding all files; the highest version runs. Also the project's function
/// settings: write-only secrets ($os.getenv), the outbound allow-list, and the cron tick claims that make one node
/// run each tick. The SQL is the same on SQLite and PostgreSQL (no dialect difference).
/// </summary>
public static class FunctionStore
{
    public const string VersionsTable = "_pg_function_versions";
    public const string SettingsTable = "_pg_function_settings";
    public const string TicksTable = "_pg_cron_ticks";
    public const string AllowHostsKey = "allowHosts";
    private const string SecretPrefix = "secret:";
    private const string RevisionKey = "revision";

    public static Task EnsureTablesAsync(Project p, CancellationToken ct) =>
        p.Database.WriteAsync(async tx =>
        {
            await p.Database.LockMigrationsAsync(tx, ct);
            await p.Database.ExecuteAsync(tx, $"CREATE TABLE IF NOT EXISTS {VersionsTable} (version INTEGER PRIMARY KEY, files TEXT NOT NULL, created TEXT NOT NULL, author TEXT NOT NULL, note TEXT NOT NULL)", null, ct);
            await p.Database.ExecuteAsync(tx, $"CREATE TABLE IF NOT EXISTS {SettingsTable} (name TEXT PRIMARY KEY, value TEXT NOT NULL)", null, ct);
            await p.Database.ExecuteAsync(tx, $"CREATE TABLE IF NOT EXISTS {TicksTable} (job TEXT NOT NULL, tick TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (job, tick))", null, ct);
        }, ct);

    /// <summary>The running version and the settings revision (one cheap query; polled every second).</summary>
    public static Task<(long Version, long Revision)> StateAsync(Project p, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            var v = await p.Database.ScalarAsync(conn, null, $"SELECT MAX(version) FROM {VersionsTable}", null, ct);
            var prm = new SqlParams();
            var r = await p.Database.ScalarAsync(conn, null, $"SELECT value FROM {SettingsTable} WHERE name = {prm.Add(RevisionKey)}", prm, ct);
            return (v is null ? 0L : Convert.ToInt64(v, CultureInfo.InvariantCulture), r is string s && long.TryParse(s, CultureInfo.InvariantCulture, out var n) ? n : 0L);
        }, ct);

    public static Task<List<FunctionFile>> LoadVersionAsync(Project p, long version, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            var prm = new SqlParams();
            var json = await p.Database.ScalarAsync(conn, null, $"SELECT files FROM {VersionsTable} WHERE version = {prm.Add(version)}", prm, ct) as string
                       ?? throw ApiError.NotFound("Missing functions version.");
            return ParseFiles(json);
        }, ct);

    public static Task<List<JsonObject>> ListVersionsAsync(Project p, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            await using var cmd = p.Database.Command(conn, null, $"SELECT version, created, author, note, files FROM {VersionsTable} ORDER BY version DESC LIMIT 100");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var list = new List<JsonObject>();
            while (await reader.ReadAsync(ct))
            {
                var files = ParseFiles(reader.GetString(4));
                list.Add(new JsonObject
                {
                    ["version"] = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                    ["created"] = reader.GetString(1),
                    ["author"] = reader.GetString(2),
                    ["note"] = reader.GetString(3),
                    ["files"] = new JsonArray([.. files.Select(f => (JsonNode?)JsonValue.Create(f.Name))]),
                });
            }
            return list;
        }, ct);

    /// <summary>Stores the files as the next version (it becomes the running one on every node).</summary>
    public static Task<long> SaveVersionAsync(Project p, IReadOnlyCollection<FunctionFile> files, string author, string note, CancellationToken ct) =>
        p.Database.WriteAsync(async tx =>
        {
            var max = await p.Database.ScalarAsync(tx.Connection!, tx, $"SELECT MAX(version) FROM {VersionsTable}", null, ct);
            var next = (max is null ? 0L : Convert.ToInt64(max, CultureInfo.InvariantCulture)) + 1;
            var json = new JsonObject();
            foreach (var f in files) json[f.Name] = f.Code;
            var prm = new SqlParams();
            await p.Database.ExecuteAsync(tx,
                $"INSERT INTO {VersionsTable} (version, files, created, author, note) VALUES ({prm.Add(next)}, {prm.Add(json.ToJsonString())}, {prm.Add(p.Now())}, {prm.Add(author)}, {prm.Add(note)})", prm, ct);
            return next;
        }, ct);

    public static Task<Dictionary<string, string>> LoadSettingsAsync(Project p, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            await using var cmd = p.Database.Command(conn, null, $"SELECT name, value FROM {SettingsTable}");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct)) map[reader.GetString(0)] = reader.GetString(1);
            return map;
        }, ct);

    public static string? Secret(IReadOnlyDictionary<string, string> settings, string name) => settings.GetValueOrDefault(SecretPrefix + name);

    public static IEnumerable<string> SecretNames(IReadOnlyDictionary<string, string> settings) =>
        settings.Keys.Where(k => k.StartsWith(SecretPrefix, StringComparison.Ordinal)).Select(k => k[SecretPrefix.Length..]).Order(StringComparer.Ordinal);

    public const string LimitsKey = "limits";

    /// <summary>The project's limit overrides (a JSON object), or null.</summary>
    public static System.Text.Json.Nodes.JsonObject? LimitOverrides(IReadOnlyDictionary<string, string> settings)
    {
        if (settings.GetValueOrDefault(LimitsKey) is not { } text) return null;
        try { return System.Text.Json.Nodes.JsonNode.Parse(text) as System.Text.Json.Nodes.JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public static string[] AllowHosts(IReadOnlyDictionary<string, string> settings) =>
        settings.GetValueOrDefault(AllowHostsKey) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    /// <summary>Sets (value not null) or removes secrets and the allow-list, and bumps the revision the nodes poll.</summary>
    /// <param name="limits">The new limit overrides (null: unchanged; an empty object removes them).</param>
    public static Task UpdateSettingsAsync(Project p, IReadOnlyDictionary<string, string?> secrets, IReadOnlyList<string>? allowHosts, System.Text.Json.Nodes.JsonObject? limits, CancellationToken ct) =>
        p.Database.WriteAsync(async tx =>
        {
            foreach (var (name, value) in secrets) await SetAsync(p, tx, SecretPrefix + name, value, ct);
            if (allowHosts is not null) await SetAsync(p, tx, AllowHostsKey, allowHosts.Count == 0 ? null : string.Join(',', allowHosts), ct);
            if (limits is not null) await SetAsync(p, tx, LimitsKey, limits.Count == 0 ? null : limits.ToJsonString(), ct);
            var prm = new SqlParams();
            var rev = await p.Database.ScalarAsync(tx.Connection!, tx, $"SELECT value FROM {SettingsTable} WHERE name = {prm.Add(RevisionKey)}", prm, ct);
            var next = (rev is string s && long.TryParse(s, CultureInfo.InvariantCulture, out var n) ? n : 0) + 1;
            await SetAsync(p, tx, RevisionKey, next.ToString(CultureInfo.InvariantCulture), ct);
        }, ct);

    private static async Task SetAsync(Project p, System.Data.Common.DbTransaction tx, string name, string? value, CancellationToken ct)
    {
        var del = new SqlParams();
        await p.Database.ExecuteAsync(tx, $"DELETE FROM {SettingsTable} WHERE name = {del.Add(name)}", del, ct);
        if (value is null) return;
        var ins = new SqlParams();
        await p.Database.ExecuteAsync(tx, $"INSERT INTO {SettingsTable} (name, value) VALUES ({ins.Add(name)}, {ins.Add(value)})", ins, ct);
    }

    /// <summary>Claims one tick of a cron job for this node: true for exactly one node of a cluster (<paramref name="now"/>: the runtime's clock).</summary>
    public static Task<bool> TryClaimTickAsync(Project p, string job, DateTime tick, DateTime now, CancellationToken ct) =>
        p.Database.WriteAsync(async tx =>
        {
            var prm = new SqlParams();
            var n = await p.Database.ExecuteAsync(tx,
                $"INSERT INTO {TicksTable} (job, tick, created) VALUES ({prm.Add(job)}, {prm.Add(DateTimes.Format(tick))}, {prm.Add(DateTimes.Format(now))}) ON CONFLICT DO NOTHING", prm, ct);
            if (tick.Minute == 0 && tick.Second == 0)
            {
                var old = new SqlParams();
                await p.Database.ExecuteAsync(tx, $"DELETE FROM {TicksTable} WHERE created < {old.Add(DateTimes.Format(now.AddDays(-1)))}", old, ct);
            }
            return n > 0;
        }, ct);

    public static List<FunctionFile> ParseFiles(string json)
    {
        var list = new List<FunctionFile>();
        if (JsonNode.Parse(json) is not JsonObject o) return list;
        foreach (var (name, code) in o) if (code is JsonValue v && v.TryGetValue<string>(out var s)) list.Add(new FunctionFile(name, s));
        return list;
    }
}
