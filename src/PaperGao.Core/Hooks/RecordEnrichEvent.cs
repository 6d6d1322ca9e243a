using PaperGao.Core.Collections;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Hooks;

/// <summary>
/// Records of one collection on their way to a client (view, list, expand, create/update and auth responses, batch
/// answers, GraphQL results, realtime events): handlers may change values, hide fields or add custom data on each record
/// (<see cref="Record.Enrichment"/>); nothing is written back. One event carries every record of the collection in
/// the response, so a function runs them all in one engine call.
/// </summary>
public sealed class RecordEnrichEvent(Project project, Collection collection, IReadOnlyList<Record> records, RequestInfo request) : IHookEvent
{
    public Project Project { get; } = project;
    public Collection Collection { get; } = collection;
    public IReadOnlyList<Record> Records { get; } = records;
    public RequestInfo Request { get; } = request;

    /// <summary>The write transaction the answer is made in (a batch, a GraphQL mutation): a handler's $app reads through it.</summary>
    public WriteScope? Scope { get; init; }

    public bool MatchesTag(string tag) => tag == Collection.Id || tag == Collection.Name;
}
