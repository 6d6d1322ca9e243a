using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.ApiKeys;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using PaperGao.Core.Telemetry;

namespace PaperGao.Api.Records;

/// <summary>The records CRUD endpoints (protocol.md §2).</summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/collections/{collection}/records").WithTags("Records");
        g.MapGet("", ListAsync).WithName("ListRecords").WithSummary("List records with page, perPage, sort, filter, expand, fields, skipTotal, estimateTotal.");
        g.MapPost("", CreateAsync).WithName("CreateRecord").WithSummary("Create a record (JSON or multipart with @jsonPayload).");
        g.MapGet("/{id}", ViewAsync).WithName("ViewRecord").WithSummary("View one record.");
        g.MapPatch("/{id}", UpdateAsync).WithName("UpdateRecord").WithSummary("Update a record; supports the +/- modifiers.");
        g.MapDelete("/{id}", DeleteAsync).WithName("DeleteRecord").WithSummary("Delete a record, honouring cascade and required references.");
        return app;
    }

    public static Collection FindCollection(Project project, string idOrName) =>
        project.Collections.Find(idOrName) ?? throw ApiError.NotFound("Missing collection context.");

    private static async Task ListAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = ApiKeyAccess.For(ctx, FindCollection(project, collection), ApiKeyActions.List);
        PaperGaoMetrics.RecordOperation(project.Name, c.Name, "list");
        var q = ParseListQuery(ctx.Request.Query);
        var req = ctx.RequestInfo();
        if (project.Hooks.ListRequest.HasHandlers)
        {
            await RecordRequestHooks.RunAsync(ctx, project.Hooks.ListRequest, RecordRequestHooks.Event(project, c, req, ctx),
                () => JsonResponse.WriteAsync(ctx, w => RecordLister.WriteListAsync(project, c, q, req, w, ctx.RequestAborted)));
            return;
        }
        await JsonResponse.WriteAsync(ctx, w => RecordLister.WriteListAsync(project, c, q, req, w, ctx.RequestAborted));
    }

    private static async Task ViewAsync(HttpContext ctx, string collection, string id)
    {
        var project = ctx.Project();
        var c = ApiKeyAccess.For(ctx, FindCollection(project, collection), ApiKeyActions.View);
        PaperGaoMetrics.RecordOperation(project.Name, c.Name, "view");
        var req = ctx.RequestInfo();
        var record = await RecordLister.ViewAsync(project, c, id, ctx.Request.Query["expand"].ToString(), req, ctx.RequestAborted);
        var viewer = RecordJsonWriter.Viewer.From(req);
        if (project.Hooks.ViewRequest.HasHandlers)
        {
            var e = RecordRequestHooks.Event(project, c, req, ctx);
            e.Record = record;
            await RecordRequestHooks.RunAsync(ctx, project.Hooks.ViewRequest, e, async () =>
            {
                await RecordEnricher.EnrichAsync(project, e.Record!, req);
                await JsonResponse.WriteAsync(ctx, w => RecordJsonWriter.Write(w, e.Record!, viewer));
            });
            return;
        }
        await RecordEnricher.EnrichAsync(project, record, req);
        await JsonResponse.WriteAsync(ctx, w => RecordJsonWriter.Write(w, record, viewer));
    }

    private static async Task CreateAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = ApiKeyAccess.For(ctx, FindCollection(project, collection), ApiKeyActions.Create);
        PaperGaoMetrics.RecordOperation(project.Name, c.Name, "create");
        var (body, files) = await RequestBody.ReadWithFilesAsync(ctx, UploadLimits.BodyLimit(c, RequestBody.DefaultLimit(ctx)));
        var req = ctx.RequestInfo();
        if (project.Hooks.CreateRequest.HasHandlers)
        {
            var e = RecordRequestHooks.Event(project, c, req, ctx);
            e.Body = body;
            e.Record = RecordRequestHooks.Preview(c, null, body, req.IsSuperuser);
            var before = e.Record.Clone();
            await RecordRequestHooks.RunAsync(ctx, project.Hooks.CreateRequest, e, async () =>
            {
                var created = await RecordWriter.CreateAsync(project, c, RecordRequestHooks.WithChanges(body, before, e.Record), req, ct: ctx.RequestAborted, uploads: files);
                await WriteRecordAsync(ctx, project, created, req);
            });
            return;
        }
        var record = await RecordWriter.CreateAsync(project, c, body, req, ct: ctx.RequestAborted, uploads: files);
        await WriteRecordAsync(ctx, project, record, req);
    }

    private static async Task UpdateAsync(HttpContext ctx, string collection, string id)
    {
        var project = ctx.Project();
        var c = ApiKeyAccess.For(ctx, FindCollection(project, collection), ApiKeyActions.Update);
        PaperGaoMetrics.RecordOperation(project.Name, c.Name, "update");
        var (body, files) = await RequestBody.ReadWithFilesAsync(ctx, UploadLimits.BodyLimit(c, RequestBody.DefaultLimit(ctx)));
        var req = ctx.RequestInfo();
        if (project.Hooks.UpdateRequest.HasHandlers)
        {
            var stored = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, c, id, ctx.RequestAborted), ctx.RequestAborted)
                         ?? throw ApiError.NotFound();
            var e = RecordRequestHooks.Event(project, c, req, ctx);
            e.Body = body;
            e.Record = RecordRequestHooks.Preview(c, stored, body, req.IsSuperuser);
            var before = e.Record.Clone();
            await RecordRequestHooks.RunAsync(ctx, project.Hooks.UpdateRequest, e, async () =>
            {
                var updated = await RecordWriter.UpdateAsync(project, c, id, RecordRequestHooks.WithChanges(body, before, e.Record), req, ct: ctx.RequestAborted, uploads: files);
                await WriteRecordAsync(ctx, project, updated, req);
            });
            return;
        }
        var record = await RecordWriter.UpdateAsync(project, c, id, body, req, ct: ctx.RequestAborted, uploads: files);
        await WriteRecordAsync(ctx, project, record, req);
    }

    private static async Task DeleteAsync(HttpContext ctx, string collection, string id)
    {
        var project = ctx.Project();
        var c = ApiKeyAccess.For(ctx, FindCollection(project, collection), ApiKeyActions.Delete);
        PaperGaoMetrics.RecordOperation(project.Name, c.Name, "delete");
        if (project.Hooks.DeleteRequest.HasHandlers)
        {
            var dreq = ctx.RequestInfo();
            var e = RecordRequestHooks.Event(project, c, dreq, ctx);
            e.Record = await project.Database.ReadAsync(conn => RecordLister.FetchOneAsync(project, conn, null, c, c.DeleteRule, id, dreq, ctx.RequestAborted), ctx.RequestAborted)
                       ?? throw ApiError.NotFound();
            await RecordRequestHooks.RunAsync(ctx, project.Hooks.DeleteRequest, e, async () =>
            {
                await RecordWriter.DeleteAsync(project, c, id, dreq, ct: ctx.RequestAborted);
                JsonResponse.NoContent(ctx);
            });
            return;
        }
        await RecordWriter.DeleteAsync(project, c, id, ctx.RequestInfo(), ct: ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    /// <summary>Writes a saved record as the requester may see it (view rule applies to what comes back), with expand.</summary>
    public static async Task WriteRecordAsync(HttpContext ctx, Project project, Record record, RequestInfo req)
    {
        var expand = ctx.Request.Query["expand"].ToString();
        if (!string.IsNullOrWhiteSpace(expand))
        {
            await project.Database.ReadAsync(async conn =>
            {
                await RecordExpander.ExpandAsync(project, conn, null, [record], ExpandTree.Parse(expand), req, ctx.RequestAborted);
                return true;
            }, ctx.RequestAborted);
        }
        var viewer = await ViewerForAsync(project, record, req, ctx.RequestAborted);
        await RecordEnricher.EnrichAsync(project, record, req);
        await JsonResponse.WriteAsync(ctx, w => RecordJsonWriter.Write(w, record, viewer));
    }

    /// <summary>Who sees a single record: its own auth record and the ones the manageRule allows show their email (protocol.md §3.10).</summary>
    private static async Task<RecordJsonWriter.Viewer> ViewerForAsync(Project project, Record record, RequestInfo req, CancellationToken ct)
    {
        if (EmailAccess.NeedsQuery(record.Collection, req))
        {
            await project.Database.ReadAsync(async conn =>
            {
                await EmailAccess.MarkAsync(project, conn, null, [record], req, ct);
                return true;
            }, ct);
        }
        return RecordJsonWriter.Viewer.From(req);
    }

    public static ListQuery ParseListQuery(IQueryCollection query)
    {
        var page = ParseInt(query, "page", 1);
        var perPage = ParseInt(query, "perPage", ListQuery.DefaultPerPage);
        if (page <= 0) page = 1;
        if (perPage <= 0) perPage = ListQuery.DefaultPerPage;
        if (perPage > ListQuery.MaxPerPage) perPage = ListQuery.MaxPerPage;
        var skipTotal = ParseBool(query, "skipTotal");
        // PaperGao's own (records, collections and logs lists): exact up to TotalEstimate.ExactUpTo matches, estimated above.
        var estimateTotal = ParseBool(query, "estimateTotal");
        if (skipTotal && estimateTotal) throw ApiError.BadRequest("skipTotal and estimateTotal exclude each other: ask for one.");
        return new ListQuery(page, perPage, query["sort"].ToString(), query["filter"].ToString(), skipTotal, query["expand"].ToString(), estimateTotal);
    }

    private static bool ParseBool(IQueryCollection query, string key) => query[key].ToString() switch
    {
        "" => false,
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw ApiError.BadRequest($"Invalid {key} value: expected a boolean."),
    };

    private static int ParseInt(IQueryCollection query, string key, int fallback)
    {
        var raw = query[key].ToString();
        if (raw.Length == 0) return fallback;
        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw ApiError.BadRequest($"Invalid {key} value: expected an integer.");
        return (int)Math.Clamp(v, int.MinValue, int.MaxValue);
    }
}
