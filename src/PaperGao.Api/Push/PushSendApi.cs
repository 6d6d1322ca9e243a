using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// POST /api/push/send and GET /api/push/sends/{id} (docs/push.md): a superuser, or an API key with the push flag,
/// sends to user ids, a topic or the records of an auth collection matching a filter. The request only counts the
/// recipients, writes the log row and queues the send (202); delivery runs in the project's queue.
/// </summary>
public static class PushSendApi
{
    public static IEndpointRouteBuilder MapPushSendApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/push").WithTags("Push");
        g.MapPost("/send", (Func<HttpContext, PushQueues, Task>)SendAsync).WithName("SendPush")
            .WithSummary("Queue a push notification {users | topic | collection + filter, title, body, data, badge, sound, ttl, urgency, collapseKey, dryRun}.");
        g.MapGet("/sends/{id}", GetAsync).WithName("GetPushSend").WithSummary("The delivery log of one send: recipients, accepted, rejected, invalid, retried.");
        return app;
    }

    /// <summary>The paths an API key with the push flag may call (ApiKeyAccess).</summary>
    public static bool IsPushKeyPath(string method, string normalizedPath) =>
        (HttpMethods.IsPost(method) && normalizedPath == "/api/push/send") ||
        (HttpMethods.IsGet(method) && normalizedPath.StartsWith("/api/push/sends/", StringComparison.Ordinal));

    private static void RequireSender(HttpContext ctx)
    {
        if (ctx.ApiKey() is { Push: true }) return;
        ctx.RequireSuperuser();
    }

    private static async Task SendAsync(HttpContext ctx, PushQueues queues)
    {
        RequireSender(ctx);
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        try
        {
            var (queued, answer) = await PushSendService.SendAsync(project, queues, body, ctx.RequestAborted);
            await JsonResponse.WriteNodeAsync(ctx, answer, queued is null ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
        }
        catch (ApiError e) when (e.Status == StatusCodes.Status429TooManyRequests)
        {
            ctx.Response.Headers.RetryAfter = "10";
            throw;
        }
    }

    private static async Task GetAsync(HttpContext ctx, string id)
    {
        RequireSender(ctx);
        var log = await PushSendStore.FindAsync(ctx.Project().Database, id, ctx.RequestAborted) ?? throw ApiError.NotFound();
        await JsonResponse.WriteNodeAsync(ctx, ToJson(log));
    }

    public static JsonObject ToJson(PushSendLog l) => new()
    {
        ["id"] = l.Id,
        ["status"] = l.Status,
        ["target"] = l.Target,
        ["recipients"] = l.Recipients,
        ["accepted"] = l.Accepted,
        ["rejected"] = l.Rejected,
        ["invalid"] = l.Invalid,
        ["retried"] = l.Retried,
        ["error"] = l.Error,
        ["created"] = l.Created,
        ["updated"] = l.Updated,
    };
}
