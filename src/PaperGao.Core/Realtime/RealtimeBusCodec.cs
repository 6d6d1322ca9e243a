using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>
/// The bus notices as compact JSON: {"n":node,"t":"r"|"s"|"g"|"x","p":project,...} (record change, schema change,
/// settings change, restore; "q"/"y"/"h" are <see cref="RealtimeRelay"/>'s requests, answers and heartbeats). A record notice names the change
/// ("a" action, "c" collection id, "i" record id) and, for a delete, carries the deleted row's stored values ("row")
/// since the other nodes cannot read it any more. A notice over the payload limit is sent as base64 chunks
/// {"t":"k","m":id,"x":index,"of":count,"d":part} and put back together by the receivers. A node ignores its own notices.
/// </summary>
public sealed class RealtimeBusCodec(string nodeId)
{
    private const int ChunkChars = 6000;

    /// <summary>The most chunks a receiver puts back together (about 4.5 MB of notice).</summary>
    public const int MaxChunks = 1000;
    private static readonly TimeSpan PartialTtl = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Partial> _partials = new(StringComparer.Ordinal);

    private sealed class Partial(int count)
    {
        public string?[] Parts { get; } = new string?[count];
        public DateTime Started { get; } = DateTime.UtcNow;
    }

    public string NodeId { get; } = nodeId;

    public static JsonObject RecordNotice(string project, string action, Collection c, string recordId, Record? deleted)
    {
        var o = new JsonObject { ["t"] = "r", ["p"] = project, ["a"] = action, ["c"] = c.Id, ["i"] = recordId };
        if (deleted is null) return o;
        var row = new JsonObject();
        foreach (var f in c.Fields)
        {
            row[f.Name] = DbValues.ToStorage(f.Kind, deleted.Values.GetValueOrDefault(f.Name), boolAsInt: false) switch
            {
                string s => JsonValue.Create(s),
                double d => JsonValue.Create(d),
                bool b => JsonValue.Create(b),
                _ => null,
            };
        }
        o["row"] = row;
        return o;
    }

    public static JsonObject SchemaNotice(string project) => new() { ["t"] = "s", ["p"] = project };

    public static JsonObject SettingsNotice(string project) => new() { ["t"] = "g", ["p"] = project };

    /// <summary>The project's content was replaced by a restore: the other nodes reload it and drop its realtime clients.</summary>
    public static JsonObject RestoredNotice(string project) => new() { ["t"] = "x", ["p"] = project };

    /// <summary>The payloads to publish for one notice (one, or several chunks).</summary>
    public IEnumerable<string> Encode(JsonObject notice)
    {
        notice["n"] = NodeId;
        var json = notice.ToJsonString();
        if (Encoding.UTF8.GetByteCount(json) <= IRealtimeBus.MaxPayload)
        {
            yield return json;
            yield break;
        }
        var b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
        var count = (b64.Length + ChunkChars - 1) / ChunkChars;
        var id = Common.RandomString.Alphanumeric(12);
        for (var i = 0; i < count; i++)
        {
            var part = b64.Substring(i * ChunkChars, Math.Min(ChunkChars, b64.Length - (i * ChunkChars)));
            yield return new JsonObject { ["n"] = NodeId, ["t"] = "k", ["m"] = id, ["x"] = i, ["of"] = count, ["d"] = part }.ToJsonString();
        }
    }

    /// <summary>The complete notice of another node, or null (own notice, malformed, or a chunk still waiting for the rest).</summary>
    public JsonObject? Decode(string payload)
    {
        JsonObject? o;
        try { o = JsonNode.Parse(payload) as JsonObject; }
        catch (JsonException) { return null; }
        if (o is null || (string?)o["n"] == NodeId) return null;
        if ((string?)o["t"] != "k") return o;
        Sweep();
        var key = (string?)o["n"] + "/" + (string?)o["m"];
        var count = (int?)o["of"] ?? 0;
        var index = (int?)o["x"] ?? -1;
        if (count is <= 0 or > MaxChunks || index < 0 || index >= count) return null;
        var partial = _partials.GetOrAdd(key, _ => new Partial(count));
        if (partial.Parts.Length != count) return null;
        partial.Parts[index] = (string?)o["d"] ?? "";
        if (partial.Parts.Any(p => p is null)) return null;
        _partials.TryRemove(key, out _);
        try { return JsonNode.Parse(Convert.FromBase64String(string.Concat(partial.Parts))) as JsonObject; }
        catch (Exception ex) when (ex is FormatException or JsonException) { return null; }
    }

    private void Sweep()
    {
        var now = DateTime.UtcNow;
        foreach (var (k, v) in _partials)
        {
            if (now - v.Started > PartialTtl) _partials.TryRemove(k, out _);
        }
    }

    /// <summary>The deleted row of a record notice as stored values of this node's dialect (null when absent).</summary>
    public static Dictionary<string, object?>? ReadRow(JsonObject notice, Collection c, ISqlDialect d)
    {
        if (notice["row"] is not JsonObject row) return null;
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var f in c.Fields)
        {
            if (!row.TryGetPropertyValue(f.Name, out var v)) continue;
            values[f.Name] = f.Kind switch
            {
                ColumnKind.Number => v is JsonValue n && n.TryGetValue<double>(out var x) ? x : 0d,
                ColumnKind.Bool => d.ToDbValue(ColumnKind.Bool, v is JsonValue b && b.TryGetValue<bool>(out var y) && y),
                ColumnKind.Json => v is JsonValue j && j.TryGetValue<string>(out var js) ? js : DBNull.Value,
                _ => v is JsonValue s && s.TryGetValue<string>(out var str) ? str : "",
            };
        }
        return values;
    }
}
