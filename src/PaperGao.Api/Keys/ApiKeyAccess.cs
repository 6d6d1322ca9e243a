using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Keys;

/// <summary>
/// API keys on the request path. A key comes as "X-API-Key: pgk_…" or "Authorization: Bearer pgk_…"; one that is
/// unknown, revoked or expired is a 401 (the caller clearly meant to authenticate, so it is not downgraded to a guest).
/// A superuser key makes the request a superuser's, except for /api/platform. A scoped key may call the record
/// endpoints (and batch entries) of its collections for its actions, and nothing else (403).
/// </summary>
public static class ApiKeyAccess
{
    private const string ItemKey = "pg.apiKey";
    public const string HeaderName = "X-API-Key";

    /// <summary>Per collection snapshot: its copies with the granted actions' rules opened, per set of actions.</summary>
    private static readonly ConditionalWeakTable<Collection, ConcurrentDictionary<string, Collection>> Opened = new();

    public static ApiKey? ApiKey(this HttpContext ctx) => ctx.Items[ItemKey] as ApiKey;

    public static bool HasSuperuserKey(this HttpContext ctx) => ctx.ApiKey() is { Superuser: true };

    public static async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var presented = Presented(ctx.Request.Headers);
        if (presented is null)
        {
            await next(ctx);
            return;
        }
        var project = ctx.Project();
        var key = await AuthenticateAsync(project, presented, ctx.RequestAborted, ctx.UtcNow())
                  ?? throw ApiError.Unauthorized("The API key is invalid, revoked or expired.");
        ApiContext.SetAuth(ctx, null);
        ctx.Items[ItemKey] = key;
        ApiKeyStore.RecordUse(project.Database, key.Id, project.Now());
        Gate(ctx, project, key);
        await next(ctx);
    }

    private static string? Presented(IHeaderDictionary headers)
    {
        var header = headers[HeaderName].ToString().Trim();
        if (header.Length > 0) return header;
        var auth = headers.Authorization.ToString().Trim();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) auth = auth[7..].Trim();
        return ApiKeySecret.LooksLikeKey(auth) ? auth : null;
    }

    public static async Task<ApiKey?> AuthenticateAsync(Project project, string presented, CancellationToken ct, DateTimeOffset? now = null)
    {
        var id = ApiKeySecret.IdOf(presented);
        if (id is null) return null;
        var key = await ApiKeyStore.FindAsync(project.Database, id, ct);
        if (key is null || !ApiKeySecret.Matches(presented, key.Hash) || key.IsExpired(now ?? project.Time.GetUtcNow())) return null;
        return key;
    }

    private static void Gate(HttpContext ctx, Project project, ApiKey key)
    {
        var path = RouteInfo.NormalizePath(ctx.Request.Path.Value ?? "/").ToLowerInvariant();
        if (path.StartsWith("/api/platform", StringComparison.Ordinal))
            throw ApiError.Forbidden("API keys cannot use the platform endpoints.");
        if (key.Superuser) return;
        if (path is "/api/health" or "/api/health/ready") return;
        if (path == "/api/batch" && HttpMethods.IsPost(ctx.Request.Method)) return; // entries are checked one by one
        if (path == "/api/graphql") return; // its schema holds only the key's collections and actions
        if (key.Push && Push.PushSendApi.IsPushKeyPath(ctx.Request.Method, path)) return;
        var route = RouteInfo.Of(ctx.Request);
        if (route.IsRecordAction && project.Collections.Find(route.Collection!) is { } c && key.ActionsOn(c.Id).Contains(route.Action!)) return;
        throw Denied();
    }

    private static ApiError Denied() => ApiError.Forbidden("The API key is not allowed to perform this request.");

    /// <summary>
    /// The collection as the caller acts on it for one record action: unchanged without a scoped key; for a scoped key
    /// that has the action, a copy whose rules for the key's granted actions are open (""), so the key bypasses them
    /// like a superuser would while every other collection keeps its rules (expand, relation filters). 403 otherwise.
    /// </summary>
    public static Collection For(HttpContext ctx, Collection c, string action) => For(ctx.ApiKey(), c, action);

    public static Collection For(ApiKey? key, Collection c, string action)
    {
        if (key is null || key.Superuser) return c;
        var actions = key.ActionsOn(c.Id);
        if (!actions.Contains(action)) throw Denied();
        var id = string.Join(',', ApiKeyActions.All.Where(actions.Contains));
        return Opened.GetOrCreateValue(c).GetOrAdd(id, _ =>
        {
            var open = c.Clone();
            if (actions.Contains(ApiKeyActions.List)) open.ListRule = "";
            if (actions.Contains(ApiKeyActions.View)) open.ViewRule = "";
            if (actions.Contains(ApiKeyActions.Create)) open.CreateRule = "";
            if (actions.Contains(ApiKeyActions.Update)) open.UpdateRule = "";
            if (actions.Contains(ApiKeyActions.Delete)) open.DeleteRule = "";
            // Writing auth records as a superuser would (email, password, verified without the old password).
            if (open.Auth is not null && (actions.Contains(ApiKeyActions.Create) || actions.Contains(ApiKeyActions.Update))) open.Auth.ManageRule = "";
            return open;
        });
    }
}
