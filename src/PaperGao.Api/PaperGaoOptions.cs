namespace PaperGao.Api;

/// <summary>Where the data lives: a data folder (SQLite projects and, later, local files) and optionally a PostgreSQL connection string.</summary>
public sealed class PaperGaoOptions
{
    public string Dir { get; set; } = "papergao_data";

    /// <summary>A PostgreSQL connection string; empty means embedded SQLite.</summary>
    public string? Db { get; set; }

    /// <summary>The request body limit in bytes (protocol.md §1.7 default 32 MiB).</summary>
    public long MaxBodySize { get; set; } = 32L * 1024 * 1024;

    /// <summary>Request log entries waiting for the background writer; beyond this they are dropped (and counted), never waited for.</summary>
    public int LogQueueCapacity { get; set; } = 10_000;

    /// <summary>How long the log writer lets a batch gather after its first entry (logs show up this much later).</summary>
    public TimeSpan LogFlushDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the log writer enforces settings.logs.maxDays on a project it writes to.</summary>
    public TimeSpan LogCleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often unreferenced stored files are deleted (Files/FilesGcService); zero or less turns the job off.</summary>
    public TimeSpan FilesGcInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Realtime: end a stream after this long without a message (default 5 minutes).</summary>
    public TimeSpan? RealtimeIdleTimeout { get; set; }

    /// <summary>Realtime: end a stream after this long whatever happens (default 30 minutes).</summary>
    public TimeSpan? RealtimeMaxLifetime { get; set; }

    /// <summary>Realtime: messages queued per client before a stalled client is dropped (default 512).</summary>
    public int? RealtimeQueueCapacity { get; set; }

    /// <summary>
    /// PostgreSQL: a record write's cluster notice goes out after its commit and before its answer (false, the default:
    /// every acknowledged write was announced) or inside its transaction (true: also announced when the node dies between
    /// the commit and the answer, but the commits of notifying transactions serialise: about 40% fewer writes per
    /// second). docs/scaling.md.
    /// </summary>
    public bool RealtimeNotifyInTransaction { get; set; }

    /// <summary>How long one SQL statement may run before the database stops it (docs/security.md); zero or less: no limit.</summary>
    public TimeSpan StatementTimeout { get; set; } = Core.Data.ProjectDatabase.DefaultStatementTimeout;

    /// <summary>
    /// Hosts, IPs or CIDR blocks that server-side requests (OAuth2, S3, functions) may reach although they are loopback,
    /// private or link-local (Core/Net/OutboundHttp). Empty by default; env PAPERGAO_OUTBOUND_ALLOW, comma-separated.
    /// </summary>
    public IReadOnlyList<string> OutboundAllowHosts { get; set; } = [];

    /// <summary>
    /// The local mail program that gets a project's mail while its SMTP is off (Core/Mail/SendmailProgram): a path,
    /// "auto" (sendmail on PATH, in /usr/sbin or /usr/lib, as PocketBase) or "off".
    /// </summary>
    public string Sendmail { get; set; } = "auto";
}
