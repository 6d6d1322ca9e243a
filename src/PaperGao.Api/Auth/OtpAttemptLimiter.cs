using System.Collections.Concurrent;

namespace PaperGao.Api.Auth;

/// <summary>
/// Wrong OTP attempts per auth record (protocol.md §5.6): after 5 failures within 180 s every further attempt is
/// refused with 429 until the window has passed. Counted in PostgreSQL when the project is there (every node of a
/// cluster sees the same failures), in this process's memory on SQLite.
/// </summary>
public static class OtpAttemptLimiter
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(180);
    private static readonly ConcurrentDictionary<string, List<DateTimeOffset>> Failures = new(StringComparer.Ordinal);

    /// <param name="now">The server's clock (the request's <c>ctx.UtcNow()</c>).</param>
    public static async Task<bool> IsBlockedAsync(Core.Projects.Project project, string key, DateTimeOffset now, CancellationToken ct) =>
        project.Database.SharedCounters is { } shared
            ? await shared.CountEventsAsync("otp\n" + key, (now - Window).ToUnixTimeMilliseconds(), ct) >= MaxFailures
            : IsBlocked(key, now);

    public static async Task RecordFailureAsync(Core.Projects.Project project, string key, DateTimeOffset now, CancellationToken ct)
    {
        if (project.Database.SharedCounters is { } shared) await shared.AddEventAsync("otp\n" + key, now.ToUnixTimeMilliseconds(), (long)Window.TotalMilliseconds, ct);
        else RecordFailure(key, now);
    }

    /// <param name="now">The server's clock (the request's <c>ctx.UtcNow()</c>).</param>
    public static bool IsBlocked(string key, DateTimeOffset now)
    {
        if (!Failures.TryGetValue(key, out var list)) return false;
        lock (list)
        {
            var cutoff = now - Window;
            list.RemoveAll(t => t < cutoff);
            return list.Count >= MaxFailures;
        }
    }

    public static void RecordFailure(string key, DateTimeOffset now)
    {
        if (Failures.Count > 10_000) Prune(now);
        var list = Failures.GetOrAdd(key, _ => []);
        lock (list) list.Add(now);
    }

    public static string Key(string project, string collectionId, string recordId) => string.Join('\n', project, collectionId, recordId);

    private static void Prune(DateTimeOffset now)
    {
        var cutoff = now - Window;
        foreach (var (k, list) in Failures)
        {
            lock (list)
            {
                if (list.TrueForAll(t => t < cutoff)) Failures.TryRemove(k, out _);
            }
        }
    }
}
