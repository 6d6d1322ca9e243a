namespace PaperGao.Core.Hooks;

/// <summary>
/// The hook points of every record write (API, batch, functions, auth flows all use the same pipeline):
/// Before* run inside the transaction around the SQL and may modify or refuse (a handler that does not call next
/// stops the write); After* run after the commit, After*Error after a failed write. The *Request hooks run in the
/// records API before the request is served.
/// </summary>
public sealed class RecordHooks
{
    public Hook<RecordEvent> BeforeCreate { get; } = new();
    public Hook<RecordEvent> AfterCreate { get; } = new();
    public Hook<RecordEvent> AfterCreateError { get; } = new();
    public Hook<RecordEvent> BeforeUpdate { get; } = new();
    public Hook<RecordEvent> AfterUpdate { get; } = new();
    public Hook<RecordEvent> AfterUpdateError { get; } = new();
    public Hook<RecordEvent> BeforeDelete { get; } = new();
    public Hook<RecordEvent> AfterDelete { get; } = new();
    public Hook<RecordEvent> AfterDeleteError { get; } = new();

    public Hook<RecordRequestEvent> CreateRequest { get; } = new();
    public Hook<RecordRequestEvent> UpdateRequest { get; } = new();
    public Hook<RecordRequestEvent> DeleteRequest { get; } = new();
    public Hook<RecordRequestEvent> ViewRequest { get; } = new();
    public Hook<RecordRequestEvent> ListRequest { get; } = new();

    /// <summary>Auth requests (auth-with-password, ...): the record is the signed-in record, before the token is issued.</summary>
    public Hook<RecordRequestEvent> AuthRequest { get; } = new();
    public Hook<RecordRequestEvent> AuthWithPasswordRequest { get; } = new();

    /// <summary>Records on their way to a client (view, list, expand, write and auth responses, realtime): see <see cref="RecordEnrichEvent"/>.</summary>
    public Hook<RecordEnrichEvent> Enrich { get; } = new();

    /// <summary>The auth flows' mails about a record (around MailerSend); the event's Kind names the flow.</summary>
    public Hook<MailerEvent> MailerRecordSend { get; } = new();

    /// <summary>Every mail the server sends (the last step before SMTP).</summary>
    public Hook<MailerEvent> MailerSend { get; } = new();

    /// <summary>
    /// Runs inside the write's transaction once its SQL ran and its Before* hook passed (action "create", "update" or
    /// "delete"): the realtime fan-out puts the write's cluster notice into the transaction there, so the other nodes
    /// hear of every committed write (even when this node dies right after the commit) and of no rolled-back one.
    /// </summary>
    public Func<RecordEvent, string, CancellationToken, Task>? InTransaction { get; set; }

    /// <summary>Where failures of after-commit work go (logged by the host); never swallowed silently.</summary>
    public Action<Exception>? OnAfterCommitError { get; set; }

    public void ReportAfterCommitError(Exception e) => OnAfterCommitError?.Invoke(e);
}
