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
        g.MapGet("/sends", ListAsync).WithName("ListPushSends").WithSummary("The delivery logs of the most recent sends, newest first (?limit=1..200, default 20).");
        g.MapGet("/credentials", CredentialsAsync).WithName("GetPushCredentials")
            .WithSummary("Which write-only push credentials are set (never their values) and which platforms are ready to send.");
        g.MapGet("/sends/{id}", GetAsync).WithName("GetPushSend").WithSummary("The delivery log of one send: recipients, accepted, rejected, invalid, retried.");
        return app;
    }

    /// <summary>The paths an API key with the push flag may call (ApiKeyAccess).</summary>
    public static bool IsPushKeyPath(string method, string normalizedPath) =>
        (HttpMethods.IsPost(method) && normalizedPath == "/api/push/send") ||
        (HttpMethods.IsGet(method) && (normalizedPath == "/api/push/sends" || normalizedPath.StartsWith("/api/push/sends/", StringComparison.Ordinal)));

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

    private static async Task ListAsync(HttpContext ctx)
    {
        RequireSender(ctx);
        var limit = 20;
        if (ctx.Request.Query.TryGetValue("limit", out var raw) &&
            !(int.TryParse(raw.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 200))
        {
            var errors = new ErrorData().Add("limit", new FieldError("validation_invalid_limit", "Must be a whole number from 1 to 200."));
            throw ApiError.BadRequest("Invalid limit.", errors);
        }
        var logs = await PushSendStore.ListRecentAsync(ctx.Project().Database, limit, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonArray([.. logs.Select(l => (JsonNode)ToJson(l))]));
    }

    /// <summary>Superusers only: whether each write-only credential is set (true/false, never the value) and the platforms ready to send.</summary>
    private static Task CredentialsAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var s = PushSettings.From(ctx.Project().Settings.Extra[PushSettings.Section]);
        return JsonResponse.WriteNodeAsync(ctx, new JsonObject
        {
            [PushSettings.PrivateKeyField] = s.VapidPrivateKey.Length > 0,
            [PushSettings.FcmServiceAccountField] = s.FcmServiceAccount.Length > 0,
            [PushSettings.ApnsPrivateKeyField] = s.ApnsPrivateKey.Length > 0,
            ["platforms"] = new JsonArray([.. s.ReadyPlatforms().Select(x => (JsonNode)x)]),
        });
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
