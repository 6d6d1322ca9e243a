namespace PaperGao.Api;

/// <summary>Where the data lives: a data folder (SQLite projects and, later, local files) and optionally a PostgreSQL connection string.</summary>
public sealed class PaperGaoOptions
{
    public string Dir { get; set; } = "papergao_data";

    /// <summary>A PostgreSQL connection string; empty means embedded SQLite.</summary>
    public string? Db { get; set; }

    /// <summary>The request body limit in bytes (protocol.md §1.7 default 32 MiB).</summary>
    public long MaxBodySize { get; set; } = 32L * 1024 * 1024;

    /// <summary>Realtime: end a stream after this long without a message (default 5 minutes).</summary>
    public TimeSpan? RealtimeIdleTimeout { get; set; }

    /// <summary>Realtime: end a stream after this long whatever happens (default 30 minutes).</summary>
    public TimeSpan? RealtimeMaxLifetime { get; set; }

    /// <summary>Realtime: messages queued per client before a stalled client is dropped (default 512).</summary>
    public int? RealtimeQueueCapacity { get; set; }
}
