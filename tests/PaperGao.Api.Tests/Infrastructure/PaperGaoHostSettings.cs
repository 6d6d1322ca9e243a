namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// What a test server is started with: <c>PaperGao:Dir</c> and, for PostgreSQL, <c>PaperGao:Db</c>; optionally the
/// clock the server's time-driven work reads (a fake one lets a test move time instead of waiting for it), and
/// <c>PaperGao:RealtimeNotify</c> when a test pins how record notices reach the other nodes (a prepare step sets it).
/// </summary>
public sealed record PaperGaoHostSettings(string Dir, string? Db, TimeProvider? Time = null, string? Sendmail = null)
{
    public string? RealtimeNotify { get; set; }
}
