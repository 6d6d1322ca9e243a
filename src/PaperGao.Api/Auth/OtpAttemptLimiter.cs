using System.Collections.Concurrent;

namespace PaperGao.Api.Auth;

/// <summary>
/// Wrong OTP attempts per auth record (protocol.md §5.6): after 5 failures within 180 s every further attempt is
/// refused with 429 until the window has passed. In memory, per server process.
/// </summary>
public static class OtpAttemptLimiter
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(180);
    private static readonly ConcurrentDictionary<string, List<DateTimeOffset>> Failures = new(StringComparer.Ordinal);

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
