using PaperGao.Core.Collections;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Hooks;

/// <summary>
/// A record write passing through the pipeline: handlers of the "before" hooks may change <see cref="Record"/>
/// or throw to refuse; "after" hooks see the committed record. Original is the stored state for update/delete.
/// </summary>
public sealed class RecordEvent(Project project, Collection collection, Record record, RequestInfo request) : IHookEvent
{
    public Project Project { get; } = project;
    public Collection Collection { get; } = collection;
    public Record Record { get; set; } = record;
    public Record? Original { get; init; }
    public RequestInfo Request { get; } = request;
    public string? Tag => Collection.Name;
}
