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
        app.MapSettingsTestS3Api();
        app.MapAppleClientSecretApi();
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
            await CheckS3Async(project.Settings, updated, ctx.RequestAborted);
            await project.Database.WriteAsync(tx => ProjectInitializer.SaveSettingsAsync(project.Database, tx, updated, project.Now(), ctx.RequestAborted), ctx.RequestAborted);
            project.SetSettings(updated);
        }
        finally
        {
            project.SchemaLock.Release();
        }
        await JsonResponse.WriteNodeAsync(ctx, SettingsJson.ToJson(updated, includeSecrets: false));
    }

    /// <summary>
    /// Files storage on S3 that is being enabled or changed must work before it is saved (the test/s3 check):
    /// otherwise every file request would fail afterwards. The old settings stay on failure.
    /// </summary>
    private static async Task CheckS3Async(ProjectSettings current, ProjectSettings updated, CancellationToken ct)
    {
        var next = Core.Files.S3Settings.From(updated.Extra["s3"]);
        if (!next.Enabled || next == Core.Files.S3Settings.From(current.Extra["s3"])) return;
        if (await Core.Files.S3Check.RunAsync(next, ct) is { } failure)
        {
            var errors = new ErrorData().Add("s3", new ErrorData().Add("bucket", new FieldError("validation_s3_check_failed", failure)));
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        }
    }
}
