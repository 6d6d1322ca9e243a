using System.Collections.Concurrent;

namespace PaperGao.Api.Auth;

/// <summary>
/// At most one verification / password reset email per record every 2 minutes (protocol.md §5.9). In PostgreSQL when
/// the project is there (one mark for every node of a cluster); on SQLite in this process's memory, where entries older
/// than the window are pruned as new ones arrive.
/// </summary>
public static class MailThrottle
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Sent = new(StringComparer.Ordinal);

    /// <summary>True (and remembered) when no mail of that kind went to that record within the window.</summary>
    /// <param name="now">The server's clock (the request's <c>ctx.UtcNow()</c>).</param>
    public static async Task<bool> TryTakeAsync(Core.Projects.Project project, string collectionId, string recordId, string kind, DateTimeOffset now, CancellationToken ct) =>
        project.Database.SharedCounters is { } shared
            ? await shared.TryTakeAsync(string.Join('\n', "mail", collectionId, recordId, kind), (long)Window.TotalMilliseconds, now.ToUnixTimeMilliseconds(), ct)
            : TryTake(project.Name, collectionId, recordId, kind, now);

    /// <summary>True (and remembered) when no mail of that kind went to that record within the window.</summary>
    /// <param name="now">The server's clock (the request's <c>ctx.UtcNow()</c>).</param>
    public static bool TryTake(string project, string collectionId, string recordId, string kind, DateTimeOffset now)
    {
        if (Sent.Count > 10_000)
        {
            foreach (var (k, at) in Sent) if (now - at > Window) Sent.TryRemove(k, out _);
        }
        var key = string.Join('\n', project, collectionId, recordId, kind);
        while (true)
        {
            if (Sent.TryGetValue(key, out var last))
            {
                if (now - last < Window) return false;
                if (Sent.TryUpdate(key, now, last)) return true;
            }
            else if (Sent.TryAdd(key, now))
            {
                return true;
            }
        }
    }
}
