using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Logs;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Files;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Analytics;

/// <summary>
/// GET /api/analytics (superusers only; docs/logs.md): the figures behind the dashboard's charts. Requests, errors and
/// p50/p95 latency per minute come from the per-minute aggregates the log writer keeps; sign-ups per day are counted
/// with one GROUP BY per auth collection; file storage is measured by listing the project's storage, realtime connections are the broker's count on this node.
/// </summary>
public static class AnalyticsApi
{
    public const int MaxMinutes = 7 * 24 * 60;
    public const int MaxDays = 366;

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/analytics", (Func<HttpContext, Task>)GetAsync).WithTags("Logs").WithName("Analytics")
            .WithSummary("Per-minute requests, errors and p50/p95 latency over [from, to) (default the last hour, at most 7 days), sign-ups per day over the last `days` days (default 30), storage used, active realtime connections and the log queue.");
        return app;
    }

    private static async Task GetAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var query = ctx.Request.Query;
        var errors = new ErrorData();
        var now = ctx.UtcNow().UtcDateTime;
        var nextMinute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        var to = ParseMinute(query["to"].ToString(), nextMinute, "to", errors);
        var from = ParseMinute(query["from"].ToString(), to.AddHours(-1), "from", errors);
        if (errors.IsEmpty && from >= to) errors.Add("from", new FieldError("validation_invalid_range", "Must be before to."));
        if (errors.IsEmpty && (to - from).TotalMinutes > MaxMinutes) errors.Add("to", new FieldError("validation_range_too_long", "The range can span at most 7 days."));
        var days = 30;
        var rawDays = query["days"].ToString();
        if (rawDays.Length > 0 && (!int.TryParse(rawDays, NumberStyles.None, CultureInfo.InvariantCulture, out days) || days < 1 || days > MaxDays))
            errors.Add("days", new FieldError("validation_invalid_days", "Must be a whole number from 1 to 366."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid analytics query.", errors);

        var project = ctx.Project();
        var ct = ctx.RequestAborted;
        var services = ctx.RequestServices;
        var store = await services.GetRequiredService<LogStores>().GetAsync(project);
        var minutes = await store.MinutesAsync(Format(from), Format(to), ct);
        var signupsFrom = now.Date.AddDays(1 - days);
        var signups = await SignupsAsync(project, signupsFrom, ct);
        var usage = await ProjectUsage.MeasureAsync(project, services.GetRequiredService<LogStores>(), ct);
        var connections = services.GetRequiredService<RealtimeBroker>().ConnectionCount(project.Name);
        var queue = services.GetRequiredService<RequestLogQueue>();

        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("from", Format(from));
            w.WriteString("to", Format(to));
            WriteMinutes(w, from, to, minutes);
            w.WritePropertyName("signups");
            w.WriteStartArray();
            for (var day = signupsFrom; day <= now.Date; day = day.AddDays(1))
            {
                var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                w.WriteStartObject();
                w.WriteString("date", key);
                w.WriteNumber("count", signups.GetValueOrDefault(key));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("storage");
            usage.ToJson().WriteTo(w);
            w.WritePropertyName("realtime");
            w.WriteStartObject();
            w.WriteNumber("connections", connections);
            w.WriteEndObject();
            w.WritePropertyName("logQueue");
            w.WriteStartObject();
            w.WriteNumber("pending", queue.Pending);
            w.WriteNumber("dropped", queue.Dropped);
            w.WriteNumber("capacity", queue.Capacity);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Every minute of [from, to), zeros where nothing was recorded.</summary>
    private static void WriteMinutes(Utf8JsonWriter w, DateTime from, DateTime to, List<MinuteRow> rows)
    {
        var byMinute = rows.ToDictionary(r => r.Minute, StringComparer.Ordinal);
        w.WritePropertyName("minutes");
        w.WriteStartArray();
        for (var m = from; m < to; m = m.AddMinutes(1))
        {
            var key = Format(m);
            w.WriteStartObject();
            w.WriteString("minute", key);
            if (byMinute.TryGetValue(key, out var r) && r.Total > 0)
            {
                w.WriteNumber("requests", r.Total);
                w.WriteNumber("errors", r.Errors);
                w.WriteNumber("clientErrors", r.ClientErrors);
                w.WriteNumber("errorRate", Math.Round(r.Errors / (double)r.Total, 4));
                w.WriteNumber("p50", Math.Round(LatencyHistogram.Percentile(r.Buckets, 0.50, r.MaxMs), 3));
                w.WriteNumber("p95", Math.Round(LatencyHistogram.Percentile(r.Buckets, 0.95, r.MaxMs), 3));
                w.WriteNumber("avg", Math.Round(r.DurationSum / r.Total, 3));
                w.WriteNumber("max", Math.Round(r.MaxMs, 3));
            }
            else
            {
                foreach (var name in (string[])["requests", "errors", "clientErrors", "errorRate", "p50", "p95", "avg", "max"]) w.WriteNumber(name, 0);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Auth records created per day ("YYYY-MM-DD") since <paramref name="from"/>, over every auth collection but _superusers.</summary>
    private static async Task<Dictionary<string, long>> SignupsAsync(Project project, DateTime from, CancellationToken ct)
    {
        var d = project.Dialect;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var collections = project.Collections.All.Where(c => c.IsAuth && c.Name != ProjectInitializer.SuperusersName && c.FindField("created") is AutodateField).ToList();
        if (collections.Count == 0) return counts;
        await project.Database.ReadAsync(async conn =>
        {
            foreach (var c in collections)
            {
                var p = new SqlParams();
                var day = $"substr({d.Quote("created")}, 1, 10)";
                var sql = $"SELECT {day}, COUNT(*) FROM {d.Quote(c.Name)} WHERE {d.Quote("created")} >= {p.Add(Format(from))} GROUP BY {day}";
                await using var cmd = project.Database.Command(conn, null, sql, p);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var key = r.GetString(0);
                    counts[key] = counts.GetValueOrDefault(key) + Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture);
                }
            }
            return true;
        }, ct);
        return counts;
    }

    private static DateTime ParseMinute(string raw, DateTime fallback, string name, ErrorData errors)
    {
        if (raw.Length == 0) return fallback;
        if (!DateTimes.TryParse(raw, out var value))
        {
            errors.Add(name, new FieldError("validation_invalid_date", "Must be a date, e.g. 2024-11-10 18:45:00.000Z."));
            return fallback;
        }
        var u = value.UtcDateTime;
        return new DateTime(u.Year, u.Month, u.Day, u.Hour, u.Minute, 0, DateTimeKind.Utc);
    }

    private static string Format(DateTime utc) => utc.ToString(DateTimes.Layout, CultureInfo.InvariantCulture);
}
