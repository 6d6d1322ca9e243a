using PaperGao.Core.Collections;

namespace PaperGao.Core.Records;

/// <summary>
/// A record in memory: its collection and the CLR value of each field by field name
/// (see <see cref="Collections.Fields.Field"/> for the value types). Reads on the list hot path
/// do not build these; writes, expands and rules do.
/// </summary>
public sealed class Record(Collection collection)
{
    public Collection Collection { get; } = collection;

    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Expanded relations: field name (or "coll_via_field") → Record or IReadOnlyList&lt;Record&gt;. Null when no expand was attempted.</summary>
    public Dictionary<string, object>? Expand { get; set; }

    /// <summary>
    /// The current requester sees this auth record's email whatever emailVisibility says (it is the requester's own
    /// record, or one it manages; set by <see cref="EmailAccess"/>). Not copied by <see cref="Clone"/>: it belongs to one requester.
    /// </summary>
    public bool EmailShown { get; set; }

    /// <summary>
    /// What an onRecordEnrich handler (or a function's hide/withCustomData) changed about this record's output: hidden
    /// and unhidden fields, custom keys. Null for nearly every record (the writer's fast path). Not copied by <see cref="Clone"/>.
    /// </summary>
    public RecordEnrichment? Enrichment { get; set; }

    public string Id
    {
        get => Values.TryGetValue("id", out var v) && v is string s ? s : "";
        set => Values["id"] = value;
    }

    public object? Get(string field) => Values.GetValueOrDefault(field);

    public string GetString(string field) => Values.GetValueOrDefault(field) as string ?? "";

    public bool GetBool(string field) => Values.GetValueOrDefault(field) is true;

    public IReadOnlyList<string> GetStrings(string field) => Values.GetValueOrDefault(field) switch
    {
        IReadOnlyList<string> list => list,
        string s when s.Length > 0 => [s],
        _ => [],
    };

    public Record Clone()
    {
        var r = new Record(Collection);
        foreach (var (k, v) in Values) r.Values[k] = v;
        return r;
    }
}

/// <summary>Output changes of one record (see <see cref="Record.Enrichment"/>).</summary>
public sealed class RecordEnrichment
{
    /// <summary>Field names (or "expand") left out of the output.</summary>
    public HashSet<string> Hidden { get; } = new(StringComparer.Ordinal);

    /// <summary>Fields marked hidden in the collection shown anyway (never password or tokenKey).</summary>
    public HashSet<string> Unhidden { get; } = new(StringComparer.Ordinal);

    /// <summary>When true, set() of a name that is not a field adds a custom key to the output.</summary>
    public bool AllowCustom { get; set; }

    /// <summary>Custom keys and their values, in the output next to the fields.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> Custom { get; } = new(StringComparer.Ordinal);
}
