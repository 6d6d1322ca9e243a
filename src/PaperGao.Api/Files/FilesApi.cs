using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Files;

/// <summary>
/// GET /api/files/{collection}/{record}/{filename} and POST /api/files/token (protocol.md §7). A file is served only
/// when it is a current value of one of the record's file fields; a protected field needs a file token whose record
/// passes the collection's view rule. Every denial is a 404, so nothing tells a guessed name from a hidden one.
/// </summary>
public static class FilesApi
{
    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/files/{collection}/{recordId}/{filename}", DownloadAsync).WithTags("Files").WithName("DownloadFile")
            .WithSummary("Download a file of a record (thumb, download, token query parameters; Range and ETag supported).");
        app.MapMethods("/api/files/{collection}/{recordId}/{filename}", ["HEAD"], DownloadAsync).WithTags("Files").WithName("HeadFile")
            .WithSummary("The headers of a file download.");
        app.MapPost("/api/files/token", (Func<HttpContext, Task>)TokenAsync).WithTags("Files").WithName("FileToken")
            .WithSummary("A short-lived token for downloading protected files.");
        return app;
    }

    private static async Task TokenAsync(HttpContext ctx)
    {
        var auth = ctx.Auth() ?? throw ApiError.Unauthorized("The request requires valid record authorization token.");
        var token = AuthTokens.NewFileToken(auth, ctx.UtcNow());
        await JsonResponse.WriteAsync(ctx, w => { w.WriteStartObject(); w.WriteString("token", token); w.WriteEndObject(); });
    }

    private static async Task DownloadAsync(HttpContext ctx, string collection, string recordId, string filename)
    {
        var project = ctx.Project();
        var c = project.Collections.Find(collection);
        if (c is null || !FileKeys.IsValidSegment(recordId) || !FileKeys.IsValidSegment(filename) || !FileKeys.IsValidSegment(c.Id))
            throw ApiError.NotFound();
        var record = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, c, recordId, ctx.RequestAborted), ctx.RequestAborted)
                     ?? throw ApiError.NotFound();
        var field = c.Fields.OfType<FileField>().FirstOrDefault(f => record.GetStrings(f.Name).Contains(filename, StringComparer.Ordinal))
                    ?? throw ApiError.NotFound();
        if (field.Protected && !await CanViewProtectedAsync(ctx, project, c, record)) throw ApiError.NotFound();

        // A view's file lives under the table record it comes from.
        var (storedIn, storedId) = (c, record.Id);
        if (c.IsView)
        {
            (storedIn, storedId) = await project.Database.ReadAsync(conn => ViewFiles.FindSourceAsync(project, conn, field.Name, filename, ctx.RequestAborted), ctx.RequestAborted)
                                   ?? throw ApiError.NotFound();
        }
        var storage = project.Storage;
        var key = FileKeys.Original(storedIn.Id, storedId, filename);
        var original = await storage.StatAsync(key, ctx.RequestAborted) ?? throw ApiError.NotFound();
        var served = original;
        var contentType = await FileContentTypes.OfAsync(storage, original, filename, ctx.RequestAborted);
        var name = filename;
        var thumb = ctx.Request.Query["thumb"].ToString();
        if (thumb.Length > 0 && ThumbnailMaker.Supported.Contains(ContentSniffer.Essence(contentType))
            && (thumb == ThumbSize.Default || field.Thumbs.Contains(thumb, StringComparer.Ordinal)) && ThumbSize.Parse(thumb) is { } size)
        {
            var thumbKey = FileKeys.Thumb(storedIn.Id, storedId, filename, thumb);
            if (await Thumbnails.EnsureAsync(storage, key, thumbKey, size, ctx.RequestAborted)
                && await storage.StatAsync(thumbKey, ctx.RequestAborted) is { } t)
            {
                served = t;
                contentType = await FileContentTypes.OfAsync(storage, t, filename, ctx.RequestAborted);
                name = thumb + "_" + filename;
            }
        }
        await FileResponse.WriteAsync(ctx, storage, served, contentType, name, IsTrue(ctx.Request.Query["download"]));
    }

    /// <summary>"1", "true" (any case) or present but empty (Dart's SDK sends download= for true).</summary>
    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues v) =>
        v.Count > 0 && (v[0] is "" or "1" || string.Equals(v[0], "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The ?token= file token's record becomes @request.auth; the view rule decides (superusers always pass).</summary>
    private static async Task<bool> CanViewProtectedAsync(HttpContext ctx, Project project, Collection c, Record record)
    {
        var token = ctx.Request.Query["token"].ToString();
        var auth = token.Length is > 0 and < 4096 ? await AuthTokenLoader.VerifyAsync(project, token, AuthTokens.File, ctx.RequestAborted, ctx.UtcNow()) : null;
        var isSuperuser = auth?.Collection.Name == ProjectInitializer.SuperusersName;
        if (isSuperuser) return true;
        if (c.ViewRule is null) return false;
        if (c.ViewRule.Length == 0) return true;
        var req = new RequestInfo
        {
            Auth = auth,
            Method = ctx.Request.Method,
            Context = "protectedFile",
            Query = ctx.Request.Query.ToDictionary(q => q.Key, q => q.Value.FirstOrDefault() ?? "", StringComparer.Ordinal),
        };
        return await project.Database.ReadAsync(conn => RecordWriter.MatchesRuleAsync(project, conn, null, c, c.ViewRule, record.Id, req, ctx.RequestAborted), ctx.RequestAborted);
    }
}
