using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Push;
using PaperGao.Core.Records;

namespace PaperGao.Api.Push;

/// <summary>
/// POST/GET /api/push/devices and DELETE /api/push/devices/{id} (docs/push.md): the signed-in auth record registers,
/// lists and removes its own devices. Another record's device is never shown and cannot be removed (404).
/// </summary>
public static class PushDevicesApi
{
    public static IEndpointRouteBuilder MapPushDevicesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/push/devices").WithTags("Push");
        g.MapPost("", (Func<HttpContext, Task>)RegisterAsync).WithName("RegisterPushDevice")
            .WithSummary("Register a device of the signed-in record: {platform: \"web\", subscription: {endpoint, keys: {p256dh, auth}}, topics} or {platform: \"fcm\" | \"apns\", token, topics}.");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListPushDevices").WithSummary("The signed-in record's own devices.");
        g.MapDelete("/{id}", DeleteAsync).WithName("DeletePushDevice").WithSummary("Unregister one of the signed-in record's devices.");
        return app;
    }

    private static Record RequireUser(HttpContext ctx) =>
        ctx.Auth() ?? throw ApiError.Unauthorized("The request requires valid record authorization token.");

    private static async Task RegisterAsync(HttpContext ctx)
    {
        var user = RequireUser(ctx);
        var body = await RequestBody.ReadObjectAsync(ctx);
        var device = PushDeviceInput.Parse(body, user.Collection.Id, user.Id, DateTimes.Format(ctx.UtcNow()));
        var stored = await PushDeviceStore.UpsertAsync(ctx.Project().Database, device, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, ToJson(stored));
    }

    private static async Task ListAsync(HttpContext ctx)
    {
        var user = RequireUser(ctx);
        var devices = await PushDeviceStore.ListOwnAsync(ctx.Project().Database, user.Collection.Id, user.Id, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, new JsonArray([.. devices.Select(d => (JsonNode)ToJson(d))]));
    }

    private static async Task DeleteAsync(HttpContext ctx, string id)
    {
        var user = RequireUser(ctx);
        if (!await PushDeviceStore.DeleteOwnAsync(ctx.Project().Database, id, user.Collection.Id, user.Id, ctx.RequestAborted)) throw ApiError.NotFound();
        JsonResponse.NoContent(ctx);
    }

    /// <summary>The device as its owner sees it: a Web Push endpoint (the subscription's keys are not echoed) or an FCM/APNs token.</summary>
    public static JsonObject ToJson(PushDevice d) => new()
    {
        ["id"] = d.Id,
        ["platform"] = d.Platform,
        [d.Platform == PushDevice.Web ? "endpoint" : "token"] = d.Endpoint,
        ["topics"] = new JsonArray([.. d.Topics.Select(t => (JsonNode)t)]),
        ["created"] = d.Created,
        ["updated"] = d.Updated,
    };
}
