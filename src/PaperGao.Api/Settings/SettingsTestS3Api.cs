using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Files;

namespace PaperGao.Api.Settings;

/// <summary>
/// POST /api/settings/test/s3 {filesystem: "storage"|"backups"} (superusers; PocketBase 0.39): checks the saved S3
/// settings of that filesystem by writing and deleting a test object. 204 when it works, 400 with the reason otherwise.
/// </summary>
public static class SettingsTestS3Api
{
    public static IEndpointRouteBuilder MapSettingsTestS3Api(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/settings/test/s3", (Func<HttpContext, Task>)HandleAsync)
            .WithTags("Settings").WithName("TestS3").WithSummary("Checks the S3 settings of the files storage or the backups.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var filesystem = BodyFields.Str(body, "filesystem", errors, required: true);
        if (!errors.Contains("filesystem") && filesystem is not ("storage" or "backups"))
            errors.Add("filesystem", new FieldError("validation_in_invalid", "Must be a valid value."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to test the S3 filesystem.", errors);

        var section = filesystem == "backups" ? project.Settings.Extra["backups"]?["s3"] : project.Settings.Extra["s3"];
        var s3 = S3Settings.From(section);
        if (!s3.Enabled) throw ApiError.BadRequest("Failed to test the S3 filesystem. Raw error: \nS3 storage filesystem is not enabled.");
        if (await S3Check.RunAsync(s3, ctx.RequestAborted) is { } failure)
            throw ApiError.BadRequest("Failed to test the S3 filesystem. Raw error: \n" + failure);
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
