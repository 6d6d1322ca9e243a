using PaperGao.Core.Collections;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// Runs the enrich hook (onRecordEnrich) over records about to be written to a client, their expanded records
/// included, wherever a client receives records (REST, batch, GraphQL, realtime): one event per collection, in order of first appearance. Costs nothing when no handler is bound.
/// </summary>
public static class RecordEnricher
{
    /// <summary>True when an enrich handler applies to records of this collection (the list's fast path asks).</summary>
    public static bool Applies(Project project, Collection c) =>
        project.Hooks.Enrich.HasHandlers && project.Hooks.Enrich.HasHandlersFor(new RecordEnrichEvent(project, c, [], RequestInfo.Guest));

    public static Task EnrichAsync(Project project, Record record, RequestInfo request) => EnrichAsync(project, [record], request);

    public static Task EnrichAsync(Project project, IReadOnlyList<Record> records, RequestInfo request) => EnrichAsync(project, records, request, null);

    /// <summary>Enriches records answered from inside a write transaction (batch, GraphQL mutation): handlers read through <paramref name="scope"/>.</summary>
    public static async Task EnrichAsync(Project project, IReadOnlyList<Record> records, RequestInfo request, WriteScope? scope)
    {
        var hook = project.Hooks.Enrich;
        if (records.Count == 0 || !hook.HasHandlers) return;
        if (OneCollection(records) is { } only)
        {
            // A page of one collection without expand (the common list): one event over the list as it is.
            await TriggerAsync(hook, new RecordEnrichEvent(project, only, records, request) { Scope = scope });
            return;
        }
        var groups = new List<(Collection Collection, List<Record> Records)>();
        var seen = new HashSet<Record>(ReferenceEqualityComparer.Instance);
        foreach (var r in records) Collect(r, groups, seen);
        foreach (var (collection, list) in groups)
            await TriggerAsync(hook, new RecordEnrichEvent(project, collection, list, request) { Scope = scope });
    }

    private static Task TriggerAsync(Hook<RecordEnrichEvent> hook, RecordEnrichEvent e) =>
        hook.HasHandlersFor(e) ? hook.TriggerAsync(e, () => Task.CompletedTask) : Task.CompletedTask;

    /// <summary>The collection of every record when they share one and none has expanded records, else null (rows of one query are distinct records).</summary>
    private static Collection? OneCollection(IReadOnlyList<Record> records)
    {
        var c = records[0].Collection;
        foreach (var r in records)
        {
            if (r.Expand is not null || !ReferenceEquals(r.Collection, c)) return null;
        }
        return c;
    }

    private static void Collect(Record r, List<(Collection Collection, List<Record> Records)> groups, HashSet<Record> seen)
    {
        if (!seen.Add(r)) return;
        var group = groups.FindIndex(g => g.Collection.Id == r.Collection.Id);
        if (group < 0) groups.Add((r.Collection, [r])); else groups[group].Records.Add(r);
        if (r.Expand is null) return;
        foreach (var value in r.Expand.Values)
        {
            if (value is Record one) Collect(one, groups, seen);
            else if (value is IEnumerable<Record> many) foreach (var x in many) Collect(x, groups, seen);
        }
    }
}
