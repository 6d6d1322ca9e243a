using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Files;

namespace PaperGao.Api.Files;

/// <summary>
/// GET /api/files/usage (superusers): the project's file storage use, in total and per collection (by name; files of
/// collections that no longer exist are listed under their id), for the dashboard.
/// </summary>
public static class StorageUsageApi
{
    public static IEndpointRouteBuilder MapStorageUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/files/usage", (Func<HttpContext, Task>)GetAsync).WithTags("Files").WithName("FileStorageUsage")
            .WithSummary("Storage used by the project's files, in total and per collection (superusers only).");
        return app;
    }

    private static async Task GetAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var report = await StorageUsage.MeasureAsync(project.Storage, ctx.RequestAborted);
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("storage", report.Storage);
            w.WritePropertyName("total");
            Write(w, report.Total);
            w.WriteStartArray("collections");
            foreach (var (id, totals) in report.Collections.OrderByDescending(kv => kv.Value.Bytes + kv.Value.ThumbBytes))
            {
                var c = project.Collections.FindById(id);
                w.WriteStartObject();
                w.WriteString("collectionId", id);
                w.WriteString("collectionName", c?.Name ?? "");
                w.WriteBoolean("exists", c is not null);
                w.WritePropertyName("usage");
                Write(w, totals);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static void Write(Utf8JsonWriter w, StorageUsage.Totals t)
    {
        w.WriteStartObject();
        w.WriteNumber("files", t.Files);
        w.WriteNumber("bytes", t.Bytes);
        w.WriteNumber("thumbs", t.Thumbs);
        w.WriteNumber("thumbBytes", t.ThumbBytes);
        w.WriteEndObject();
    }
}
