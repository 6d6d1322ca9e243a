using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Records;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Logs;

namespace PaperGao.Api.Logs;

/// <summary>
/// The logs API (protocol.md §8), superusers only: list with page/perPage/sort/filter/skipTotal/estimateTotal over id, created,
/// level, message, data and data.* (the records filter language), one log by id, and hourly counts.
/// </summary>
public static class LogsApi
{
    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/logs").WithTags("Logs");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListLogs")
            .WithSummary("List request logs with page, perPage, sort, filter, skipTotal, estimateTotal, fields (filter and sort over id, created, level, message, data.*).");
        g.MapGet("/stats", (Func<HttpContext, Task>)StatsAsync).WithName("LogStats").WithSummary("Log counts per hour, optionally filtered: [{date, total}].");
        g.MapGet("/{id}", ViewAsync).WithName("ViewLog").WithSummary("View one log.");
        return app;
    }

    private static ColumnFilterContext FilterContext(ISqlDialect dialect, TimeProvider clock) => new()
    {
        Columns = LogSchema.FilterColumns,
        Dialect = dialect,
        Params = new SqlParams(),
        Clock = clock,
    };

    private static string? Compile(Func<string> compile)
    {
        try
        {
            return compile();
        }
        catch (FilterException ex)
        {
            throw ApiError.BadRequest(ex.Message);
        }
    }

    private static async Task<LogStore> StoreAsync(HttpContext ctx) =>
        await ctx.RequestServices.GetRequiredService<LogStores>().GetAsync(ctx.Project());

    private static async Task ListAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var q = RecordsApi.ParseListQuery(ctx.Request.Query);
        var store = await StoreAsync(ctx);
        var d = store.Dialect;
        var fctx = FilterContext(d, ctx.Project().Time);
        var where = string.IsNullOrWhiteSpace(q.Filter) ? null : Compile(() => FilterCompiler.CompileFilter(q.Filter, fctx));
        var orderBy = string.IsNullOrWhiteSpace(q.Sort) ? null : Compile(() => FilterCompiler.CompileSort(q.Sort, fctx));
        var from = From(d, fctx, where);
        var db = store.Database;
        var query = new PagedQuery(Columns(d), from, string.IsNullOrEmpty(orderBy) ? $"t.{d.Quote("created")} DESC, t.{d.Quote("id")} DESC" : orderBy, q.Window, fctx.Params, LogSchema.LogsTable);
        var (total, rows) = await db.ReadAsync(async conn =>
        {
            var list = new List<Row>();
            var count = await PagedList.QueryAsync(db, conn, null, query, r => list.Add(ReadRow(r)), ctx.RequestAborted);
            return (count, list);
        }, ctx.RequestAborted);
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            PagedList.WriteCounts(w, q.Window, total);
            w.WritePropertyName("items");
            w.WriteStartArray();
            foreach (var row in rows) Write(w, row);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task ViewAsync(HttpContext ctx, string id)
    {
        ctx.RequireSuperuser();
        var store = await StoreAsync(ctx);
        var d = store.Dialect;
        var p = new SqlParams();
        var sql = $"SELECT {Columns(d)} FROM {d.Quote(LogSchema.LogsTable)} AS t WHERE t.{d.Quote("id")} = {p.Add(id)}";
        var rows = await store.Database.ReadAsync(conn => ReadRowsAsync(store.Database, conn, sql, p, ctx.RequestAborted), ctx.RequestAborted);
        if (rows.Count == 0) throw ApiError.NotFound();
        await JsonResponse.WriteAsync(ctx, w => Write(w, rows[0]));
    }

    private static async Task StatsAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var store = await StoreAsync(ctx);
        var d = store.Dialect;
        var fctx = FilterContext(d, ctx.Project().Time);
        var filter = ctx.Request.Query["filter"].ToString();
        var where = string.IsNullOrWhiteSpace(filter) ? null : Compile(() => FilterCompiler.CompileFilter(filter, fctx));
        // The hour is the first 13 characters of the stored "YYYY-MM-DD HH:MM:SS.sssZ": the same SQL on both databases.
        var hour = $"substr(t.{d.Quote("created")}, 1, 13)";
        var sql = $"SELECT {hour} AS h, COUNT(*) AS n{From(d, fctx, where)} GROUP BY {hour} ORDER BY {hour}";
        var stats = await store.Database.ReadAsync(async conn =>
        {
            await using var cmd = store.Database.Command(conn, null, sql, fctx.Params);
            await using var r = await cmd.ExecuteReaderAsync(ctx.RequestAborted);
            var list = new List<(string Hour, long Total)>();
            while (await r.ReadAsync(ctx.RequestAborted)) list.Add((r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)));
            return list;
        }, ctx.RequestAborted);
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartArray();
            foreach (var (h, n) in stats)
            {
                w.WriteStartObject();
                w.WriteString("date", h + ":00:00");
                w.WriteNumber("total", n);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static string Columns(ISqlDialect d) =>
        string.Join(", ", ((string[])["id", "created", "level", "message"]).Select(c => "t." + d.Quote(c))) + ", " + d.JsonToText("t." + d.Quote("data"));

    private static string From(ISqlDialect d, ColumnFilterContext fctx, string? where) => PagedList.FromWhere(d, LogSchema.LogsTable, fctx.Joins, where);

    private sealed record Row(string Id, string Created, double Level, string Message, string? Data);

    private static async Task<List<Row>> ReadRowsAsync(ProjectDatabase db, System.Data.Common.DbConnection conn, string sql, SqlParams p, CancellationToken ct)
    {
        await using var cmd = db.Command(conn, null, sql, p);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Row>();
        while (await r.ReadAsync(ct)) list.Add(ReadRow(r));
        return list;
    }

    private static Row ReadRow(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Convert.ToDouble(r.GetValue(2), CultureInfo.InvariantCulture), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4));

    private static void Write(Utf8JsonWriter w, Row row)
    {
        w.WriteStartObject();
        w.WriteString("id", row.Id);
        w.WriteString("created", row.Created);
        w.WriteNumber("level", (long)row.Level);
        w.WriteString("message", row.Message);
        w.WritePropertyName("data");
        w.WriteRawValue(row.Data ?? "{}");
        w.WriteEndObject();
    }
}
