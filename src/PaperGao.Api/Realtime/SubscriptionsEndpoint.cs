using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// POST /api/realtime (protocol.md §6.2): {"clientId","subscriptions":[…]} replaces the client's subscriptions and binds
/// the request's auth to it (a guest client may be upgraded; another change is 403). 204 on success. A client held by
/// another node of a cluster is reached through the bus (<see cref="RealtimeRelay"/>).
/// </summary>
public static class SubscriptionsEndpoint
{
    public static async Task SetAsync(HttpContext ctx)
    {
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var clientId = BodyFields.Str(body, "clientId", errors, required: true, max: RealtimeLimits.MaxClientIdLength);
        var raw = ReadList(body["subscriptions"], errors);
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        var subscriptions = RealtimeBroker.Parse(raw);
        var ip = RealtimeConnection.CallerIp(ctx);
        var client = RealtimeConnection.Broker(ctx).Find(project.Name, clientId);
        if (client is not null)
        {
            RealtimeBroker.Apply(client, ip, RealtimeConnection.AuthOf(ctx), subscriptions);
            JsonResponse.NoContent(ctx);
            return;
        }
        // Not held here: an unknown id unless another node answers for it, so counted before anything is forwarded.
        UnknownClientIds.Acquire(project, ip);
        // Another node of the cluster holds the client: it applies the request with the same checks (no sticky sessions).
        var relay = RealtimeConnection.Relay(ctx);
        if (relay.HeldElsewhere(clientId)
            && await relay.ForwardSubscriptionsAsync(project.Name, clientId, ip, RealtimeConnection.AuthOf(ctx), subscriptions, ctx.RequestAborted) is { Status: not 404 } answer)
        {
            UnknownClientIds.Release(project, ip);
            if (answer.Status != StatusCodes.Status204NoContent) throw new ApiError(answer.Status, answer.Message);
            JsonResponse.NoContent(ctx);
            return;
        }
        throw ApiError.NotFound("Missing or invalid client id.");
    }

    /// <summary>The subscriptions array (missing or null = none); anything but an array of strings is a validation error.</summary>
    public static List<string> ReadList(JsonNode? node, ErrorData errors)
    {
        var list = new List<string>();
        if (node is null) return list;
        if (node is JsonValue one && one.TryGetValue<string>(out var single))
        {
            // A form body with a single value arrives as a plain string.
            list.Add(single);
            return list;
        }
        if (node is not JsonArray arr || arr.Any(x => x is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            errors.Add("subscriptions", new FieldError("validation_invalid_value", "Must be an array of strings."));
            return list;
        }
        list.AddRange(arr.Select(x => x!.GetValue<string>()));
        return list;
    }
}
