using PaperGao.Core.Collections;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Hooks;

/// <summary>
/// A record write passing through the pipeline: handlers of the "before" hooks may change <see cref="Record"/>
/// or throw to refuse; "after" hooks see the committed record (or, for the *Error hooks, the failure).
/// Original is the stored state for update/delete. Scope is the open write transaction (before hooks only).
/// </summary>
public sealed class RecordEvent(Project project, Collection collection, Record record, RequestInfo request) : IHookEvent
{
    public Project Project { get; } = project;
    public Collection Collection { get; } = collection;
    public Record Record { get; set; } = record;
    public Record? Original { get; init; }
    public RequestInfo Request { get; } = request;

    /// <summary>The write transaction the event runs in (null after it ended).</summary>
    public WriteScope? Scope { get; set; }

    /// <summary>A before-hook returned without calling next: nothing was written and no after-hook (success or error) runs.</summary>
    public bool Stopped { get; internal set; }

    /// <summary>The other nodes were told inside the write's transaction (<see cref="RecordHooks.InTransaction"/>): nothing to publish after the commit.</summary>
    internal bool ClusterNotified { get; set; }

    /// <summary>The other nodes' notice queued to leave with the commit: published after it unless it went out there.</summary>
    internal Data.Postgres.PostgresCommitBatch? ClusterNoticeAtCommit { get; set; }

    /// <summary>Why the write failed (the After*Error hooks).</summary>
    public Exception? Error { get; set; }

    /// <summary>Collection tags match by id (rename-safe) or by the current name.</summary>
    public bool MatchesTag(string tag) => tag == Collection.Id || tag == Collection.Name;
}
