using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Records;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>The shared auth response {record, token[, meta]} (protocol.md §5.1), after the collection's authRule.</summary>
public static class AuthResponse
{
    /// <summary>
    /// Answers a successful authentication. <paramref name="mfaMethod"/> names the method that just succeeded
    /// ("password", "otp", "oauth2") and subjects the answer to MFA; null (refresh, impersonate) skips MFA.
    /// </summary>
    public static async Task WriteAsync(HttpContext ctx, Project project, Record record, string token, string context = "password",
        Action<System.Text.Json.Utf8JsonWriter>? meta = null, string? mfaMethod = null, string? mfaId = null)
    {
        if (project.Hooks.AuthRequest.HasHandlers)
        {
            // onRecordAuthRequest: every sign-in, before the token is issued; a handler may refuse or answer itself.
            var e = new Core.Hooks.RecordRequestEvent(project, record.Collection, ctx.RequestInfo(), ctx) { Record = record, AuthMethod = mfaMethod ?? context };
            await Records.RecordRequestHooks.RunAsync(ctx, project.Hooks.AuthRequest, e, () => WriteCoreAsync(ctx, project, record, token, context, meta, mfaMethod, mfaId));
            return;
        }
        await WriteCoreAsync(ctx, project, record, token, context, meta, mfaMethod, mfaId);
    }

    private static async Task WriteCoreAsync(HttpContext ctx, Project project, Record record, string token, string context,
        Action<System.Text.Json.Utf8JsonWriter>? meta, string? mfaMethod, string? mfaId)
    {
        var authRule = record.Collection.Auth?.AuthRule;
        if (authRule is null) throw ApiError.Forbidden("The request doesn't satisfy the collection requirements to authenticate.");
        if (authRule.Trim().Length > 0)
        {
            var req = new RequestInfo { Auth = record, Method = ctx.Request.Method, Context = context };
            var ok = await project.Database.ReadAsync(conn => RecordWriter.MatchesRuleAsync(project, conn, null, record.Collection, authRule, record.Id, req, ctx.RequestAborted), ctx.RequestAborted);
            if (!ok) throw ApiError.Forbidden("The request doesn't satisfy the collection requirements to authenticate.");
        }
        if (mfaMethod is not null && await MfaCheck.RequireSecondFactorAsync(ctx, project, record, mfaMethod, mfaId)) return;
        // A completed sign-in (not refresh or impersonation) from a new device may send the new-login alert.
        if (mfaMethod is not null) await AuthAlerts.OnSignInAsync(ctx, project, record);
        var viewer = new RecordJsonWriter.Viewer(IsSuperuser: ctx.IsSuperuser(), AuthId: record.Id, ShowAllEmails: true);
        var expand = ctx.Request.Query["expand"].ToString();
        if (!string.IsNullOrWhiteSpace(expand))
        {
            var info = ctx.RequestInfo();
            var asSelf = new RequestInfo { Auth = record, IsSuperuser = record.Collection.Name == ProjectInitializer.SuperusersName, Method = info.Method, Query = info.Query, Headers = info.Headers };
            await project.Database.ReadAsync(async conn =>
            {
                await RecordExpander.ExpandAsync(project, conn, null, [record], ExpandTree.Parse(expand), asSelf, ctx.RequestAborted);
                return true;
            }, ctx.RequestAborted);
        }
        if (project.Hooks.Enrich.HasHandlers) await RecordEnricher.EnrichAsync(project, record, ctx.RequestInfo());
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("record");
            RecordJsonWriter.Write(w, record, viewer);
            w.WriteString("token", token);
            if (meta is not null)
            {
                w.WritePropertyName("meta");
                meta(w);
            }
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// As PocketBase's same-collection guard, checked before the collection itself: no token is 401, a token of
    /// another collection 403 (also when {collection} is not an auth collection), then the auth collection.
    /// </summary>
    public static (Core.Collections.Collection Collection, Core.Records.Record Auth) SameCollectionAuth(HttpContext ctx, Project project, string idOrName)
    {
        var auth = ctx.Auth() ?? throw ApiError.Unauthorized("The request requires valid record authorization token.");
        if (auth.Collection.Id != idOrName && !string.Equals(auth.Collection.Name, idOrName, StringComparison.OrdinalIgnoreCase))
            throw ApiError.Forbidden($"The request requires auth record from {idOrName} collection.");
        return (AuthCollection(project, idOrName), auth);
    }

    public static Core.Collections.Collection AuthCollection(Project project, string idOrName)
    {
        var c = RecordsApi.FindCollection(project, idOrName);
        return c.IsAuth ? c : throw ApiError.NotFound("Missing or invalid auth collection context.");
    }
}
