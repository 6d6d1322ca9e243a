using Microsoft.AspNetCore.Http;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// The limit on unknown realtime client ids per IP (<see cref="RealtimeLimits.MaxUnknownClientIdsPerMinute"/>), for a
/// request naming a client this node does not hold (POST /api/realtime, /api/oauth2-redirect). It is counted before the
/// request is forwarded to the node the id names, so guessed ids cannot make this node forward more than the limit
/// (each forward is a notice to every node and an answer back), and given back when that node knows the client.
/// </summary>
public static class UnknownClientIds
{
    private static string Key(string ip) => "realtime:unknown-client\n" + ip;

    /// <summary>Counts one; 429 when the IP is over the limit (nothing is forwarded).</summary>
    public static void Acquire(Project project, string ip)
    {
        if (!RateLimits.RateLimiting.LimiterOf(project).TryAcquire(Key(ip), RealtimeLimits.MaxUnknownClientIdsPerMinute, 60_000, Environment.TickCount64, out _))
            throw new ApiError(StatusCodes.Status429TooManyRequests, "Too many unknown realtime client ids; try again later.");
    }

    /// <summary>The node holding the client answered for it: it was not an unknown id.</summary>
    public static void Release(Project project, string ip) =>
        RateLimits.RateLimiting.LimiterOf(project).Release(Key(ip), Environment.TickCount64);
}
