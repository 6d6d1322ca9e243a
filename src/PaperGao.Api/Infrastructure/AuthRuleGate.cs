using System.Collections.Concurrent;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// The collection's authRule checked again on every authenticated request (docs/security.md, "Blocked users"): a user
/// whose record stops satisfying it (authRule "status != 'banned'") loses access with the next request, not when the
/// token expires. PocketBase checks the rule at sign-in only. The answer is cached per record, its "updated" time, its
/// tokenKey and the rule text for at most <see cref="CacheFor"/> (a change to the record itself takes effect at once;
/// a change elsewhere that the rule looks at, within that time). Rules that read @request.* describe the sign-in
/// request and are checked at sign-in only; a null authRule (nobody may authenticate) refuses every token.
/// </summary>
public static class AuthRuleGate
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 10_000;
    private static readonly ConcurrentDictionary<string, (bool Allowed, long Expires)> Cache = new(StringComparer.Ordinal);

    public static async Task<bool> AllowsAsync(Project project, Record record, CancellationToken ct)
    {
        var rule = record.Collection.Auth?.AuthRule;
        if (rule is null) return false;
        if (rule.Trim().Length == 0 || rule.Contains("@request", StringComparison.Ordinal)) return true;
        var now = Environment.TickCount64;
        var key = string.Join('\n', project.Name, record.Collection.Id, record.Id, record.GetString("updated"), record.GetString("tokenKey"), rule);
        if (Cache.TryGetValue(key, out var hit) && hit.Expires > now) return hit.Allowed;
        var req = new RequestInfo { Auth = record, Method = "GET" };
        var allowed = await project.Database.ReadAsync(conn => RecordWriter.MatchesRuleAsync(project, conn, null, record.Collection, rule, record.Id, req, ct), ct);
        if (Cache.Count >= MaxEntries) Sweep(now);
        Cache[key] = (allowed, now + (long)CacheFor.TotalMilliseconds);
        return allowed;
    }

    private static void Sweep(long now)
    {
        foreach (var (k, v) in Cache)
        {
            if (v.Expires <= now) Cache.TryRemove(k, out _);
        }
        if (Cache.Count >= MaxEntries) Cache.Clear();
    }
}
