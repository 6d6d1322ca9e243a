namespace PaperGao.Core.Hooks;

/// <summary>
/// The hook points of every record write (API, batch, and later functions and imports all use the same pipeline):
/// Before* run inside the transaction before the SQL and may modify or refuse; After* run after the commit.
/// </summary>
public sealed class RecordHooks
{
    public Hook<RecordEvent> BeforeCreate { get; } = new();
    public Hook<RecordEvent> AfterCreate { get; } = new();
    public Hook<RecordEvent> BeforeUpdate { get; } = new();
    public Hook<RecordEvent> AfterUpdate { get; } = new();
    public Hook<RecordEvent> BeforeDelete { get; } = new();
    public Hook<RecordEvent> AfterDelete { get; } = new();
}
