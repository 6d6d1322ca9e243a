using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Records;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Files.Resumable;
using PaperGao.Core.Records;

namespace PaperGao.Api.Files;

/// <summary>
/// Resumable uploads with tus 1.0 (core + creation) at /api/files/uploads. The creation request names the target in
/// Upload-Metadata (collection, record, field, filename; base64 values); the caller must pass the record's update rule.
/// When the last byte arrives the file is appended to the field through the record pipeline ("field+"), with the
/// field's size and MIME checks and the update rule applied again; the final PATCH answers 204 with the record id,
/// or the validation error.
/// </summary>
public static class TusApi
{
    private const string Version = "1.0.0";

    public static IEndpointRouteBuilder MapTusApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/files/uploads").WithTags("Files");
        g.MapMethods("", ["OPTIONS"], (Func<HttpContext, Task>)OptionsAsync).WithName("TusOptions").WithSummary("tus: the supported version and extensions.");
        g.MapPost("", (Func<HttpContext, Task>)CreateAsync).WithName("TusCreate").WithSummary("tus creation: start a resumable upload into a record's file field.");
        g.MapMethods("/{id}", ["HEAD"], HeadAsync).WithName("TusHead").WithSummary("tus: the offset of an upload.");
        g.MapPatch("/{id}", PatchAsync).WithName("TusPatch").WithSummary("tus: append bytes at the current offset; the last chunk attaches the file to the record.");
        return app;
    }

    private static Task OptionsAsync(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h["Tus-Resumable"] = Version;
        h["Tus-Version"] = Version;
        h["Tus-Extension"] = "creation";
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static void RequireVersion(HttpContext ctx)
    {
        ctx.Response.Headers["Tus-Resumable"] = Version;
        ctx.Response.Headers.AccessControlExposeHeaders = "Location, Upload-Offset, Upload-Length, Tus-Resumable, Tus-Version, Upload-Record, Upload-Filename";
        if (ctx.Request.Headers["Tus-Resumable"].ToString() != Version)
        {
            ctx.Response.Headers["Tus-Version"] = Version;
            throw new ApiError(StatusCodes.Status412PreconditionFailed, "Unsupported tus version: send Tus-Resumable: 1.0.0.");
        }
    }

    private static async Task CreateAsync(HttpContext ctx)
    {
        RequireVersion(ctx);
        var project = ctx.Project();
        var errors = new ErrorData();
        if (!long.TryParse(ctx.Request.Headers["Upload-Length"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            errors.Add("Upload-Length", new FieldError("validation_required", "Upload-Length must be a positive whole number of bytes (deferred lengths are not supported)."));
        var meta = ParseMetadata(ctx.Request.Headers["Upload-Metadata"].ToString(), errors);
        string Meta(string key)
        {
            var v = meta.GetValueOrDefault(key) ?? "";
            if (v.Length == 0) errors.Add(key, FieldError.Required());
            return v;
        }
        var (collection, recordId, fieldName, filename) = (Meta("collection"), Meta("record"), Meta("field"), Meta("filename"));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid tus upload request.", errors);

        var c = RecordsApi.FindCollection(project, collection);
        if (c.FindField(fieldName) is not FileField field)
            throw ApiError.BadRequest("Invalid tus upload request.", new ErrorData().Add("field", new FieldError("validation_invalid_file", "Not a file field of the collection.")));
        if (length > field.EffectiveMaxSize) throw ApiError.TooLarge($"The upload is larger than the field's maximum of {field.EffectiveMaxSize} bytes.");
        var req = ctx.RequestInfo();
        var allowed = await project.Database.ReadAsync(async conn =>
        {
            var record = await RecordSql.FindByIdAsync(project.Database, conn, null, c, recordId, ctx.RequestAborted);
            if (record is null) return false;
            if (req.IsSuperuser) return true;
            if (c.UpdateRule is null) throw ApiError.SuperusersOnly();
            return c.UpdateRule.Length == 0 || await RecordWriter.MatchesRuleAsync(project, conn, null, c, c.UpdateRule, recordId, req, ctx.RequestAborted);
        }, ctx.RequestAborted);
        if (!allowed) throw ApiError.NotFound();
        var upload = project.Uploads.Create(c.Id, recordId, field.Name, filename, length, OwnerKey(ctx));
        ctx.Response.Headers.Location = ctx.Request.PathBase + "/api/files/uploads/" + upload.Id;
        ctx.Response.Headers["Upload-Offset"] = "0";
        ctx.Response.StatusCode = StatusCodes.Status201Created;
    }

    private static Task HeadAsync(HttpContext ctx, string id)
    {
        RequireVersion(ctx);
        var upload = Find(ctx, id);
        var h = ctx.Response.Headers;
        h["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        h["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        h.CacheControl = "no-store";
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private static async Task PatchAsync(HttpContext ctx, string id)
    {
        RequireVersion(ctx);
        if (!string.Equals(ctx.Request.ContentType, "application/offset+octet-stream", StringComparison.OrdinalIgnoreCase))
            throw new ApiError(StatusCodes.Status415UnsupportedMediaType, "A tus PATCH needs Content-Type: application/offset+octet-stream.");
        var project = ctx.Project();
        Find(ctx, id);
        await project.Uploads.LockedAsync(id, async () =>
        {
            var upload = Find(ctx, id);
            if (!long.TryParse(ctx.Request.Headers["Upload-Offset"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                throw ApiError.BadRequest("Upload-Offset is required.");
            if (offset != upload.Offset) throw new ApiError(StatusCodes.Status409Conflict, "Upload-Offset does not match the upload's offset.");
            if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = upload.Length - upload.Offset;
            long newOffset;
            try
            {
                newOffset = await project.Uploads.AppendAsync(upload, ctx.Request.Body, ctx.RequestAborted);
            }
            catch (InvalidDataException)
            {
                throw ApiError.TooLarge("The chunk goes past the upload's declared length.");
            }
            ctx.Response.Headers["Upload-Offset"] = newOffset.ToString(CultureInfo.InvariantCulture);
            if (newOffset == upload.Length) await AttachAsync(ctx, upload with { Offset = newOffset });
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            return true;
        }, ctx.RequestAborted);
    }

    /// <summary>Appends the finished upload to its field through the record pipeline; the upload is gone afterwards either way.</summary>
    private static async Task AttachAsync(HttpContext ctx, ResumableUpload upload)
    {
        var project = ctx.Project();
        try
        {
            var c = project.Collections.FindById(upload.CollectionId) ?? throw ApiError.NotFound("Missing collection context.");
            var files = new RecordUploads();
            files.Add(upload.Field + "+", project.Uploads.AsUploadedFile(upload));
            var record = await RecordWriter.UpdateAsync(project, c, upload.RecordId, new JsonObject(), ctx.RequestInfo(), ct: ctx.RequestAborted, uploads: files);
            ctx.Response.Headers["Upload-Record"] = record.Id;
            var names = record.GetStrings(upload.Field);
            if (names.Count > 0) ctx.Response.Headers["Upload-Filename"] = names[^1];
        }
        finally
        {
            project.Uploads.Delete(upload.Id);
        }
    }

    private static ResumableUpload Find(HttpContext ctx, string id)
    {
        var upload = ctx.Project().Uploads.Find(id);
        if (upload is null || upload.OwnerKey != OwnerKey(ctx)) throw ApiError.NotFound();
        return upload;
    }

    /// <summary>Who may continue an upload: the auth record that created it (or guests, for a guest's upload).</summary>
    private static string OwnerKey(HttpContext ctx) => ctx.Auth() is { } a ? a.Collection.Id + "/" + a.Id : "guest";

    /// <summary>"key base64value,key2 base64value2" (tus Upload-Metadata).</summary>
    private static Dictionary<string, string> ParseMetadata(string header, ErrorData errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header.Length > 4096)
        {
            errors.Add("Upload-Metadata", new FieldError("validation_length_too_long", "Upload-Metadata is too long."));
            return result;
        }
        foreach (var pair in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = pair.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? pair : pair[..space];
            try
            {
                result[key] = space < 0 ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(pair[(space + 1)..]));
            }
            catch (FormatException)
            {
                errors.Add("Upload-Metadata", new FieldError("validation_invalid_value", "Upload-Metadata values must be base64."));
            }
        }
        return result;
    }
}
