using Microsoft.AspNetCore.Http;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Backups;

/// <summary>
/// The request side of <see cref="ProjectGate"/>: while a restore runs, a project's requests wait up to
/// <see cref="MaxWait"/> and then get 503 with Retry-After. Not gated: the backups API itself (a restore must not wait
/// for itself), health, and realtime streams (disconnected after a restore instead).
/// </summary>
public static class BackupsGate
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private const int RetryAfterSeconds = 5;

    public static bool Applies(HttpRequest request)
    {
        var path = request.Path;
        if (path.StartsWithSegments("/api/backups") || path.StartsWithSegments("/api/health")) return false;
        return !(HttpMethods.IsGet(request.Method) && path.StartsWithSegments("/api/realtime"));
    }

    public static async Task EnterAsync(HttpContext ctx, Project project)
    {
        if (await project.Gate.TryEnterAsync(MaxWait, ctx.RequestAborted)) return;
        // The error writer clears the headers; this runs when the answer's headers go out.
        ctx.Response.OnStarting(() =>
        {
            ctx.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        throw new ApiError(StatusCodes.Status503ServiceUnavailable, "The project is being restored from a backup. Try again shortly.");
    }
}
