using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Records;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Collections;

/// <summary>The collections admin API (protocol.md §4.4). Every route is superuser-only (401 without auth, 403 for other auth records).</summary>
public static class CollectionsApi
{
    public static IEndpointRouteBuilder MapCollectionsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/collections").WithTags("Collections");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListCollections").WithSummary("List collections with page, perPage, sort, filter, skipTotal, estimateTotal, fields.");
        g.MapPost("", (Func<HttpContext, Task>)CreateAsync).WithName("CreateCollection").WithSummary("Create a collection (type and name select the scaffold, the body is merged on top).");
        g.MapPut("/import", (Func<HttpContext, Task>)ImportAsync).WithName("ImportCollections").WithSummary("Import collections all-or-nothing; deleteMissing deletes the others.");
        g.MapGet("/meta/scaffolds", (Func<HttpContext, Task>)Scaffolds).WithName("CollectionScaffolds").WithSummary("Blank auth, base and view collections.");
        g.MapGet("/meta/oauth2-providers", (Func<HttpContext, Task>)OAuth2Providers).WithName("CollectionOAuth2Providers").WithSummary("The known OAuth2 provider names.");
        g.MapPost("/meta/dry-run-view", (Func<HttpContext, Task>)DryRunViewAsync).WithName("DryRunView").WithSummary("Infer the fields of a view query and show up to 10 sample records.");
        g.MapGet("/{collection}", ViewAsync).WithName("ViewCollection").WithSummary("View one collection.");
        g.MapPatch("/{collection}", UpdateAsync).WithName("UpdateCollection").WithSummary("Update a collection; fields are matched by id, the table is altered keeping the data.");
        g.MapDelete("/{collection}", DeleteAsync).WithName("DeleteCollection").WithSummary("Delete a collection and its table.");
        g.MapDelete("/{collection}/truncate", TruncateAsync).WithName("TruncateCollection").WithSummary("Delete every record (cascades honoured).");
        return app;
    }

    private static async Task ListAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var q = RecordsApi.ParseListQuery(ctx.Request.Query);
        var fctx = new ColumnFilterContext { Columns = ListColumns, Dialect = project.Dialect, Params = new SqlParams(), Clock = project.Time };
        string? where = null;
        string? orderBy = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(q.Filter)) where = FilterCompiler.CompileFilter(q.Filter, fctx);
            if (!string.IsNullOrWhiteSpace(q.Sort)) orderBy = FilterCompiler.CompileSort(q.Sort, fctx);
        }
        catch (FilterException ex)
        {
            throw ex.Forbidden ? ApiError.Forbidden(ex.Message) : ApiError.BadRequest(ex.Message);
        }
        var d = project.Dialect;
        var from = PagedList.FromWhere(d, "_collections", fctx.Joins, where);
        var snapshot = project.Collections;
        var query = new PagedQuery("t." + d.Quote("id"), from, string.IsNullOrEmpty(orderBy) ? "t.\"created\" ASC, t.\"id\" ASC" : orderBy, q.Window, fctx.Params, "_collections");
        var (total, ids) = await project.Database.ReadAsync(async conn =>
        {
            var list = new List<string>();
            var count = await PagedList.QueryAsync(project.Database, conn, null, query, r => list.Add(r.GetString(0)), ctx.RequestAborted);
            return (count, list);
        }, ctx.RequestAborted);
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            PagedList.WriteCounts(w, q.Window, total);
            w.WritePropertyName("items");
            w.WriteStartArray();
            foreach (var id in ids)
            {
                if (snapshot.FindById(id) is { } c) CollectionJson.Write(w, c, includeSecrets: false);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>What the collections list's filter and sort may use: the columns of "_collections" (PocketBase's list allows the same).</summary>
    private static readonly FilterColumn[] ListColumns =
    [
        new("id", ColumnKind.Text),
        new("name", ColumnKind.Text),
        new("type", ColumnKind.Text),
        new("system", ColumnKind.Bool),
        new("created", ColumnKind.Text),
        new("updated", ColumnKind.Text),
    ];

    private static async Task ViewAsync(HttpContext ctx, string collection)
    {
        ctx.RequireSuperuser();
        var c = ctx.Project().Collections.Find(collection) ?? throw ApiError.NotFound();
        await WriteCollectionAsync(ctx, c);
    }

    private static async Task CreateAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var c = await CollectionService.CreateAsync(ctx.Project(), body, ctx.RequestAborted);
        await WriteCollectionAsync(ctx, c);
    }

    private static async Task UpdateAsync(HttpContext ctx, string collection)
    {
        ctx.RequireSuperuser();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var c = await CollectionService.UpdateAsync(ctx.Project(), collection, body, ctx.RequestAborted);
        await WriteCollectionAsync(ctx, c);
    }

    private static async Task DeleteAsync(HttpContext ctx, string collection)
    {
        ctx.RequireSuperuser();
        await CollectionService.DeleteAsync(ctx.Project(), collection, ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static async Task TruncateAsync(HttpContext ctx, string collection)
    {
        ctx.RequireSuperuser();
        await CollectionService.TruncateAsync(ctx.Project(), collection, ctx.RequestInfo(), ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static async Task ImportAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var body = await RequestBody.ReadObjectAsync(ctx);
        if (body["collections"] is not JsonArray items)
            throw ApiError.BadRequest(CollectionService.ImportFailed, new ErrorData().Add("collections", new FieldError("validation_required", "Must be a non-empty array of collections.")));
        var deleteMissing = false;
        if (body.TryGetPropertyValue("deleteMissing", out var dm) && dm is not null)
        {
            if (dm is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) deleteMissing = v.GetValueKind() == JsonValueKind.True;
            else throw ApiError.BadRequest(CollectionService.ImportFailed, new ErrorData().Add("deleteMissing", new FieldError("validation_invalid_value", "Must be a boolean.")));
        }
        await CollectionService.ImportAsync(ctx.Project(), items, deleteMissing, ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static async Task Scaffolds(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            foreach (var type in (CollectionType[])[CollectionType.Auth, CollectionType.Base, CollectionType.View])
            {
                var c = CollectionScaffolds.Create(type);
                if (c.IsAuth) c.Indexes = [.. CollectionScaffolds.AuthIndexes(c)];
                w.WritePropertyName(type.ToJson());
                CollectionJson.Write(w, c, includeSecrets: false);
            }
            w.WriteEndObject();
        });
    }

    /// <summary>The providers OAuth2 sign-in supports (PaperGao.Core.Auth.OAuth2); a save refuses any other name.</summary>
    private static IEnumerable<(string Name, string DisplayName, string Logo)> Providers =>
        Core.Auth.OAuth2.OAuth2Providers.Definitions.Select(d => (d.Name, d.DisplayName, d.Logo));

    private static async Task OAuth2Providers(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var (name, display, logo) in Providers)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("displayName", display);
                w.WriteString("logo", logo);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static async Task DryRunViewAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var query = body["query"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var (view, sample) = await CollectionService.DryRunViewAsync(ctx.Project(), query, ctx.RequestAborted);
        var viewer = RecordJsonWriter.Viewer.From(ctx.RequestInfo());
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("fields");
            w.WriteStartArray();
            foreach (var f in view.Fields) FieldJson.Write(w, f);
            w.WriteEndArray();
            w.WritePropertyName("sample");
            w.WriteStartArray();
            foreach (var r in sample) RecordJsonWriter.Write(w, r, viewer);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task WriteCollectionAsync(HttpContext ctx, Collection c) =>
        JsonResponse.WriteAsync(ctx, w => CollectionJson.Write(w, c, includeSecrets: false));
}
