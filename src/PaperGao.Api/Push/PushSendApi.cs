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
    private const int DryRunListed = 100;

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
        var (target, message, dryRun) = PushSendInput.Parse(project, body);
        var settings = PushSettings.From(project.Settings.Extra[PushSettings.Section]);
        var platforms = settings.ReadyPlatforms();
        var (where, p) = Recipients(project, target, platforms);
        var recipients = await PushDeviceStore.CountAsync(project.Database, where, p, ctx.RequestAborted);
        if (dryRun)
        {
            var first = await PushDeviceStore.PageAsync(project.Database, where, p.Values, "", DryRunListed, ctx.RequestAborted);
            await JsonResponse.WriteNodeAsync(ctx, new JsonObject
            {
                ["dryRun"] = true,
                ["recipients"] = recipients,
                ["maxRecipients"] = settings.MaxRecipients,
                ["platforms"] = new JsonArray([.. platforms.Select(x => (JsonNode)x)]),
                ["devices"] = new JsonArray([.. first.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["collectionId"] = d.CollectionId, ["userId"] = d.UserId, ["platform"] = d.Platform })]),
            });
            return;
        }
        if (platforms.Count == 0)
            throw ApiError.BadRequest("Push is not enabled: switch on and configure Web Push, FCM or APNs in the push settings.");
        if (recipients > settings.MaxRecipients)
        {
            var errors = new ErrorData().Add("users", new FieldError("validation_too_many_recipients",
                $"The send reaches {recipients} devices; the project allows at most {settings.MaxRecipients} per send (settings push.maxRecipients)."));
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        }

        var queue = queues.For(project);
        var now = DateTimes.Now();
        var log = new PushSendLog(PushDeviceStore.NewId(), PushSendLog.Queued, target.Describe(), recipients, 0, 0, 0, 0, "", now, now);
        await PushSendStore.InsertAsync(project.Database, log, ctx.RequestAborted);
        if (!queue.TryEnqueue(new PushJob(log.Id, target, message, recipients, now)))
        {
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "The push queue was full.", Updated = DateTimes.Now() }, ctx.RequestAborted);
            ctx.Response.Headers.RetryAfter = "10";
            throw new ApiError(429, $"The project's push queue is full ({PushLimits.QueueCapacity} sends waiting); try again later.");
        }
        await JsonResponse.WriteNodeAsync(ctx, ToJson(log), StatusCodes.Status202Accepted);
    }

    private static (string Where, Core.Data.SqlParams Params) Recipients(Project project, PushTarget target, IReadOnlyList<string> platforms)
    {
        try { return PushRecipients.Condition(project, target, platforms); }
        catch (FilterException ex)
        {
            var errors = new ErrorData().Add("filter", new FieldError("validation_invalid_filter", ex.Message));
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
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
