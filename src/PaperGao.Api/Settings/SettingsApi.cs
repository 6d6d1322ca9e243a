using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Api.Settings;

/// <summary>GET/PATCH /api/settings (superusers; protocol.md §8). Secrets are write-only.</summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/settings", (Func<HttpContext, Task>)GetAsync).WithTags("Settings").WithName("GetSettings").WithSummary("The project's settings (secrets hidden).");
        app.MapPatch("/api/settings", (Func<HttpContext, Task>)PatchAsync).WithTags("Settings").WithName("UpdateSettings").WithSummary("Update part of the project's settings.");
        return app;
    }

    private static Task GetAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        return JsonResponse.WriteNodeAsync(ctx, SettingsJson.ToJson(ctx.Project().Settings, includeSecrets: false));
    }

    private static async Task PatchAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        await project.SchemaLock.WaitAsync(ctx.RequestAborted);
        ProjectSettings updated;
        try
        {
            var errors = new ErrorData();
            updated = SettingsJson.Apply(project.Settings, body, errors);
            if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
            await project.Database.WriteAsync(tx => ProjectInitializer.SaveSettingsAsync(project.Database, tx, updated, ctx.RequestAborted), ctx.RequestAborted);
            project.SetSettings(updated);
        }
        finally
        {
            project.SchemaLock.Release();
        }
        await JsonResponse.WriteNodeAsync(ctx, SettingsJson.ToJson(updated, includeSecrets: false));
    }
}
