using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using PaperGao.Api.Files;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Backups;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Backups;

/// <summary>
/// PocketBase's backups API (apis/backup*.go), per project (also under /p/{project}): list, create, upload, download with
/// a superuser file token, delete, restore. Superusers only. Unlike PocketBase, a restore runs in place without
/// restarting the server and answers when it is done (204), or 400 with the reason and the project unchanged.
/// </summary>
public static class BackupsApi
{
    /// <summary>The largest backup upload (2 GiB).</summary>
    public const long MaxUploadBytes = 2L * 1024 * 1024 * 1024;

    public static IEndpointRouteBuilder MapBackupsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/backups").WithTags("Backups");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListBackups").WithSummary("List the project's backups [{key, size, modified}], newest first.");
        g.MapPost("", (Func<HttpContext, Task>)CreateAsync).WithName("CreateBackup").WithSummary("Create a backup {name?} (name ^[a-z0-9_-]+\\.zip$; generated when empty).");
        g.MapPost("/upload", (Func<HttpContext, Task>)UploadAsync).WithName("UploadBackup").WithSummary("Upload a backup zip (multipart field \"file\", at most 2 GiB).");
        g.MapGet("/{key}", DownloadAsync).WithName("DownloadBackup").WithSummary("Download a backup (?token= a superuser file token).");
        g.MapDelete("/{key}", DeleteAsync).WithName("DeleteBackup").WithSummary("Delete a backup.");
        g.MapPost("/{key}/restore", RestoreAsync).WithName("RestoreBackup").WithSummary("Replace the project's content with the backup (PaperGao or PocketBase zip), without restarting.");
        return app;
    }

    private static BackupService Service(HttpContext ctx) => ctx.RequestServices.GetRequiredService<BackupService>();

    private static async Task ListAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        using var store = BackupStore.For(ctx.Project());
        var list = await store.ListAsync(ctx.RequestAborted);
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var b in list)
            {
                w.WriteStartObject();
                w.WriteString("key", b.Key);
                w.WriteNumber("size", b.Size);
                w.WriteString("modified", DateTimes.Format(b.Modified));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static async Task CreateAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        string name;
        if (body["name"] is null) name = "";
        else if (body["name"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s)) name = s;
        else throw ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("name", new FieldError("validation_invalid_value", "Must be a string.")));
        if (name.Length == 0) name = BackupNames.Generate(project.Settings.Meta.AppName, "pb_backup_", project.Time.GetUtcNow());
        // Not tied to the request: a client that goes away does not leave half a backup behind (nor does a crash: temp file + rename).
        await Service(ctx).CreateAsync(project, name, CancellationToken.None);
        JsonResponse.NoContent(ctx);
    }

    private static async Task UploadAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var req = ctx.Request;
        if (req.ContentLength > MaxUploadBytes) throw ApiError.TooLarge("The backup is larger than the 2 GiB upload limit.");
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxUploadBytes + 64 * 1024;
        var boundary = MediaTypeHeaderValue.TryParse(req.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(type.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary)) throw FileError("validation_required", "Send the backup as multipart/form-data in the field \"file\".");
        var reader = new MultipartReader(boundary, req.Body) { BodyLengthLimit = MaxUploadBytes };
        while (await reader.ReadNextSectionAsync(ctx.RequestAborted) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || cd.Name.Value?.Trim('"') != "file" || !cd.IsFileDisposition()) continue;
            // Taken as sent (not reduced to its last segment): a name with a path in it is refused, never stored.
            var fileName = HeaderUtilities.RemoveQuotes(cd.FileNameStar.HasValue ? cd.FileNameStar : cd.FileName).Value ?? "";
            if (!BackupNames.IsValid(fileName))
                throw FileError("validation_match_invalid", "The file name must match ^[a-z0-9_-]+\\.zip$ (max 150 characters).");
            try
            {
                await Service(ctx).UploadAsync(project, fileName, section.Body, ctx.RequestAborted);
            }
            catch (InvalidDataException)
            {
                throw ApiError.TooLarge("The backup is larger than the 2 GiB upload limit.");
            }
            JsonResponse.NoContent(ctx);
            return;
        }
        throw FileError("validation_required", "Missing required value.");
    }

    private static ApiError FileError(string code, string message) =>
        ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("file", new FieldError(code, message)));

    private static async Task DownloadAsync(HttpContext ctx, string key)
    {
        var project = ctx.Project();
        var token = ctx.Request.Query["token"].ToString();
        var auth = token.Length is > 0 and < 4096 ? await AuthTokenLoader.VerifyAsync(project, token, AuthTokens.File, ctx.RequestAborted, ctx.UtcNow()) : null;
        if (auth?.Collection.Name != ProjectInitializer.SuperusersName) throw ApiError.Forbidden("Insufficient permissions to access the resource.");
        using var store = BackupStore.For(project);
        var obj = BackupNames.IsValid(key) ? await store.Storage.StatAsync(key, ctx.RequestAborted) : null;
        if (obj is null) throw ApiError.NotFound();
        await FileResponse.WriteAsync(ctx, store.Storage, obj, "application/zip", key, download: true);
    }

    private static async Task DeleteAsync(HttpContext ctx, string key)
    {
        ctx.RequireSuperuser();
        await Service(ctx).DeleteAsync(ctx.Project(), key, ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static async Task RestoreAsync(HttpContext ctx, string key)
    {
        ctx.RequireSuperuser();
        if (!BackupNames.IsValid(key)) throw ApiError.BadRequest("Missing or invalid backup file.");
        await Service(ctx).RestoreAsync(ctx.Project(), key, CancellationToken.None);
        JsonResponse.NoContent(ctx);
    }
}
