namespace PaperGao.Core.Cluster;

/// <summary>
/// Counters every node of a cluster sees (docs/scaling.md, "What the nodes share"): rate-limit windows, wrong OTP
/// attempts and the mail throttle. A project database that is shared by several processes offers them
/// (<see cref="Data.ProjectDatabase.SharedCounters"/>: PostgreSQL); SQLite's single process keeps them in memory.
/// Times are wall-clock milliseconds (Unix epoch) read by the caller: the nodes' clocks are assumed in step (NTP).
/// </summary>
public interface ISharedCounters
{
    /// <summary>
    /// Counts one request in the fixed window of <paramref name="key"/> (a new window when the last one ended or its
    /// length changed); false, with the milliseconds until the window ends, once <paramref name="max"/> were counted.
    /// </summary>
    Task<(bool Ok, long RetryAfterMs)> TryAcquireAsync(string key, int max, long windowMs, long nowMs, CancellationToken ct);

    /// <summary>True (and remembered) when <paramref name="key"/> was not taken within the last <paramref name="windowMs"/>.</summary>
    Task<bool> TryTakeAsync(string key, long windowMs, long nowMs, CancellationToken ct);

    /// <summary>Records one event of <paramref name="key"/> (kept <paramref name="keepMs"/>).</summary>
    Task AddEventAsync(string key, long nowMs, long keepMs, CancellationToken ct);

    /// <summary>The events of <paramref name="key"/> at or after <paramref name="sinceMs"/>.</summary>
    Task<int> CountEventsAsync(string key, long sinceMs, CancellationToken ct);
}
