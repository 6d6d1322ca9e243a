using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// GET/POST /api/oauth2-redirect (protocol.md §5.5b): the provider sends the browser here with code and state = the
/// realtime client id of the SDK that started the sign-in; the client (subscribed to "@oauth2", same IP) gets the
/// "@oauth2" event {state, code[, error]} once, and the browser a short page it can close (no dashboard is bundled).
/// Missing state or code is 400, an unknown client 404 (429 past <see cref="RealtimeLimits.MaxUnknownClientIdsPerMinute"/>
/// a minute from one IP: <see cref="UnknownClientIds"/>), all in the error envelope. A client held by another node of a
/// cluster is reached through the bus (<see cref="RealtimeRelay"/>).
/// </summary>
public static class OAuth2RedirectEndpoint
{
    public static async Task HandleAsync(HttpContext ctx)
    {
        var values = HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.HasFormContentType
            ? (await Infrastructure.RequestBody.ReadRawFormAsync(ctx)).ToDictionary(k => k.Key, v => v.Value.ToString())
            : ctx.Request.Query.ToDictionary(k => k.Key, v => v.Value.ToString());
        var state = values.GetValueOrDefault("state") ?? "";
        var code = values.GetValueOrDefault("code") ?? "";
        var error = values.GetValueOrDefault("error") ?? "";
        var errors = new ErrorData();
        if (state.Length == 0) errors.Add("state", FieldError.Required());
        else if (state.Length > RealtimeLimits.MaxClientIdLength) errors.Add("state", new FieldError("validation_length_out_of_range", "Invalid state."));
        if (code.Length == 0 && error.Length == 0) errors.Add("code", FieldError.Required());
        if (code.Length > 4096) errors.Add("code", new FieldError("validation_length_out_of_range", "Invalid code."));
        if (error.Length > 1024) errors.Add("error", new FieldError("validation_length_out_of_range", "Invalid error."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to complete the OAuth2 sign-in.", errors);

        var ip = RealtimeConnection.CallerIp(ctx);
        var project = ctx.Project();
        var client = RealtimeConnection.Broker(ctx).Find(project.Name, state);
        bool delivered;
        if (client is not null) delivered = RealtimeBroker.TryHandOffOAuth2(client, ip, code, error);
        else
        {
            // Not held here: counted as an unknown id before anything is forwarded (given back once delivered).
            UnknownClientIds.Acquire(project, ip);
            // A client of another node: that node checks and delivers (the caller's IP as this node computed it).
            delivered = RealtimeConnection.Relay(ctx).HeldElsewhere(state)
                && await RealtimeConnection.Relay(ctx).ForwardOAuth2Async(project.Name, state, ip, code, error, ctx.RequestAborted) is { Status: 200 };
            if (delivered) UnknownClientIds.Release(project, ip);
        }
        if (!delivered) throw ApiError.NotFound("Missing or invalid OAuth2 realtime client.");

        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var text = error.Length == 0 ? "Sign-in complete. You can close this window." : "Sign-in failed. You can close this window.";
        await ctx.Response.WriteAsync("<!doctype html><meta charset=\"utf-8\"><title>PaperGao</title><p>" + text + "</p><script>window.close()</script>\n", ctx.RequestAborted);
    }
}
