using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Api.RateLimits;

/// <summary>
/// The per-project rate limiter (settings.rateLimits, protocol.md §1.7). The first rule whose label matches wins, in
/// PocketBase's order: "collection:action", "*:action" (and ":auth" for the auth-with-* actions), then the longest
/// "METHOD /path" or "/path" ("/prefix/" matches below it). Counted per client IP; the auth endpoints also per
/// submitted identity (IP + identity, and the identity from any IP at 10x the limit). Superusers (and superuser
/// keys) are not limited. Over the limit: 429 in the error envelope with Retry-After. Counted in PostgreSQL when the project is there (shared
/// by the nodes of a cluster), in memory on SQLite.
/// </summary>
public static class RateLimiting
{
    private const int MaxPeekBytes = 64 * 1024;
    private static readonly ConditionalWeakTable<ProjectSettings, RateLimitSettings> Parsed = new();
    private static readonly ConditionalWeakTable<Project, FixedWindowLimiter> Limiters = new();

    public static RateLimitSettings SettingsOf(ProjectSettings s) => Parsed.GetValue(s, x => RateLimitSettings.From(x.Extra));

    public static FixedWindowLimiter LimiterOf(Project p) => Limiters.GetOrCreateValue(p);

    public static async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var project = ctx.Project();
        var settings = SettingsOf(project.Settings);
        if (!settings.Enabled || ctx.IsSuperuser() || IsHealthProbe(ctx.Request.Path.Value))
        {
            await next(ctx);
            return;
        }
        var route = RouteInfo.Of(ctx.Request);
        var rule = Match(settings.Rules, ctx.Request.Method, ctx.Request.Path.Value ?? "/", route, project, IsGuest(ctx));
        if (rule is not null)
        {
            var ip = ClientIp.Resolve(ctx.Connection.RemoteIpAddress, ctx.Request.Headers, settings);
            if (!ClientIp.IsExcluded(ip, settings))
            {
                var duration = rule.Duration * 1000L;
                var bucket = rule.Label + "\n" + rule.Audience + "\n";
                var identity = route.Action is not null ? await IdentityAsync(ctx, route.Action) : null;
                var (ok, retry) = identity is null
                    ? await AcquireAsync(ctx, project, bucket + ip, rule.MaxRequests, duration)
                    : await AcquireAsync(ctx, project, bucket + ip + "\n" + identity, rule.MaxRequests, duration) is { Ok: false } refused
                        ? refused
                        : await AcquireAsync(ctx, project, bucket + "*\n" + identity, rule.MaxRequests * 10, duration);
                if (!ok)
                {
                    // Set when the answer starts: the error writer clears the response before writing the envelope.
                    var seconds = Math.Max(1, (retry + 999) / 1000).ToString(CultureInfo.InvariantCulture);
                    ctx.Response.OnStarting(() =>
                    {
                        ctx.Response.Headers.RetryAfter = seconds;
                        return Task.CompletedTask;
                    });
                    Core.Telemetry.PaperGaoMetrics.RateLimited(project.Name, rule.Label);
                    throw new ApiError(StatusCodes.Status429TooManyRequests, "Too Many Requests.");
                }
            }
        }
        await next(ctx);
    }

    /// <summary>
    /// Counts one request under <paramref name="key"/>: in the database every node shares (PostgreSQL), so N nodes do
    /// not allow N times the limit, or in this process's memory (SQLite, one process).
    /// </summary>
    private static async Task<(bool Ok, long RetryAfterMs)> AcquireAsync(HttpContext ctx, Project project, string key, int max, long durationMs)
    {
        if (project.Database.SharedCounters is { } shared)
            return await shared.TryAcquireAsync("rate\n" + key, max, durationMs, ctx.UtcNow().ToUnixTimeMilliseconds(), ctx.RequestAborted);
        var ok = LimiterOf(project).TryAcquire(key, max, durationMs, Environment.TickCount64, out var retry);
        return (ok, retry);
    }

    /// <summary>
    /// The health endpoints are never limited (a deliberate difference from PocketBase, whose "/api/" rule counts them):
    /// load balancers and Kubernetes probe them often, often from one address (a proxy's), and a 429 there takes a
    /// healthy node out of service. They read nothing but a <c>SELECT 1</c>.
    /// </summary>
    private static bool IsHealthProbe(string? path) =>
        RouteInfo.NormalizePath(path ?? "/") is var p && (string.Equals(p, "/api/health", StringComparison.OrdinalIgnoreCase)
            || string.Equals(p, "/api/health/ready", StringComparison.OrdinalIgnoreCase));

    private static bool IsGuest(HttpContext ctx) => ctx.Auth() is null && ctx.ApiKey() is null;

    /// <summary>The rule for a request, or null.</summary>
    public static RateLimitRule? Match(IReadOnlyList<RateLimitRule> rules, string method, string path, RouteInfo route, Project? project, bool guest)
    {
        bool Fits(RateLimitRule r) => r.Audience.Length == 0 || (r.Audience == "@guest") == guest;
        if (route.Action is not null && route.Collection is not null)
        {
            var name = project?.Collections.Find(route.Collection)?.Name ?? route.Collection;
            List<string> labels = [name + ":" + route.Action, "*:" + route.Action];
            if (RouteInfo.AuthActions.Contains(route.Action)) labels.AddRange([name + ":auth", "*:auth"]);
            foreach (var label in labels)
            {
                foreach (var r in rules)
                {
                    if (string.Equals(r.Label, label, StringComparison.OrdinalIgnoreCase) && Fits(r)) return r;
                }
            }
        }
        path = RouteInfo.NormalizePath(path);
        RateLimitRule? best = null;
        var bestLength = -1;
        foreach (var r in rules)
        {
            if (!Fits(r)) continue;
            var label = r.Label;
            var space = label.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                if (!string.Equals(label[..space], method, StringComparison.OrdinalIgnoreCase)) continue;
                label = label[(space + 1)..];
            }
            if (!label.StartsWith('/')) continue;
            var matches = label.EndsWith('/')
                ? path.StartsWith(label, StringComparison.OrdinalIgnoreCase) || string.Equals(path + "/", label, StringComparison.OrdinalIgnoreCase)
                : string.Equals(path, label, StringComparison.OrdinalIgnoreCase);
            // A method-specific label beats a bare one of the same path.
            var length = label.Length * 2 + (space > 0 ? 1 : 0);
            if (matches && length > bestLength) (best, bestLength) = (r, length);
        }
        return best;
    }

    /// <summary>
    /// The submitted identity of an auth request (lower-cased), read from a JSON or form body of at most 64 KiB.
    /// A body that is larger, chunked past that size or unreadable is never a way out of the per-identity count:
    /// all such requests share one identity (<see cref="Unreadable"/>), per IP and from any IP at 10x the limit.
    /// </summary>
    private static async Task<string?> IdentityAsync(HttpContext ctx, string action)
    {
        var field = action switch
        {
            "authWithPassword" => "identity",
            "requestOTP" or "requestPasswordReset" or "requestVerification" => "email",
            "authWithOTP" => "otpId",
            _ => null,
        };
        if (field is null) return null;
        var request = ctx.Request;
        if (request.ContentLength is 0) return null;
        if (request.ContentLength > MaxPeekBytes) return Unreadable;
        request.EnableBuffering();
        var buffer = new byte[MaxPeekBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), ctx.RequestAborted);
            if (n == 0) break;
            read += n;
        }
        request.Body.Position = 0;
        if (read > MaxPeekBytes) return Unreadable;
        if (read == 0) return null;
        if (request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(ctx.RequestAborted);
                var v = form[field].ToString();
                return v.Trim().Length > 0 ? v.Trim().ToLowerInvariant() : null;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
            {
                return Unreadable;
            }
            finally
            {
                // The endpoint reads the form again with its own limits.
                request.Body.Position = 0;
                ctx.Features.Set<Microsoft.AspNetCore.Http.Features.IFormFeature>(null);
            }
        }
        try
        {
            return JsonNode.Parse(buffer.AsSpan(0, read)) is JsonObject o && o[field] is JsonValue jv && jv.TryGetValue<string>(out var s) && s.Trim().Length > 0
                ? s.Trim().ToLowerInvariant()
                : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return Unreadable; // the endpoint answers the bad body itself
        }
    }

    /// <summary>The identity every oversized or unparseable auth body is counted under (no real identity contains NUL).</summary>
    private const string Unreadable = "\0unreadable";
}
