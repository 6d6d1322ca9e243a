using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;
using PaperGao.Core.Settings;

namespace PaperGao.Api.Push;

/// <summary>
/// POST /api/push/vapid-keys (a signed-in superuser) makes a new VAPID key pair and stores it in the push settings
/// (the private key never leaves the server); GET /api/push/vapid-public-key gives any client the public key, the
/// applicationServerKey of PushManager.subscribe().
/// </summary>
public static class PushVapidApi
{
    public static IEndpointRouteBuilder MapPushVapidApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/push").WithTags("Push");
        g.MapPost("/vapid-keys", (Func<HttpContext, Task>)GenerateAsync).WithName("GeneratePushVapidKeys")
            .WithSummary("Generate a new VAPID key pair for Web Push (replaces the old one: existing subscriptions must subscribe again).");
        g.MapGet("/vapid-public-key", (Func<HttpContext, Task>)PublicKeyAsync).WithName("GetPushVapidPublicKey")
            .WithSummary("The project's VAPID public key (the applicationServerKey for PushManager.subscribe) and whether Web Push is enabled.");
        return app;
    }

    private static async Task GenerateAsync(HttpContext ctx)
    {
        if (ctx.ApiKey() is not null) throw ApiError.Forbidden("API keys cannot replace the VAPID keys.");
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var keys = VapidKeys.Generate();
        await project.SchemaLock.WaitAsync(ctx.RequestAborted);
        ProjectSettings updated;
        try
        {
            updated = project.Settings.Clone();
            var section = updated.Extra[PushSettings.Section] as JsonObject ?? PushSettings.Defaults();
            section["vapidPublicKey"] = keys.PublicKey;
            section[PushSettings.PrivateKeyField] = keys.PrivateKey;
            updated.Extra[PushSettings.Section] = section;
            await project.Database.WriteAsync(tx => ProjectInitializer.SaveSettingsAsync(project.Database, tx, updated, project.Now(), ctx.RequestAborted), ctx.RequestAborted);
            project.SetSettings(updated);
        }
        finally
        {
            project.SchemaLock.Release();
        }
        await JsonResponse.WriteNodeAsync(ctx, SettingsJson.ToJson(updated, includeSecrets: false)[PushSettings.Section]?.DeepClone());
    }

    private static Task PublicKeyAsync(HttpContext ctx)
    {
        var s = PushSettings.From(ctx.Project().Settings.Extra[PushSettings.Section]);
        return JsonResponse.WriteNodeAsync(ctx, new JsonObject { ["publicKey"] = s.VapidPublicKey, ["enabled"] = s.Enabled });
    }
}
