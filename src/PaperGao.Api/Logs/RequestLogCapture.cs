using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Api.RateLimits;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Logs;

/// <summary>
/// The outermost middleware: after the request (errors already turned into the envelope) it copies the request's
/// method, path, status, duration, caller and client into a <see cref="RequestLogEntry"/> and hands it to the
/// bounded <see cref="RequestLogQueue"/>. Nothing is written here; a full queue drops the entry. Only /api routes of
/// a known project are logged (not the dashboard's static files).
/// </summary>
public static class RequestLogCapture
{
    public static void UseRequestLogCapture(this IApplicationBuilder app)
    {
        var queue = app.ApplicationServices.GetRequiredService<RequestLogQueue>();
        app.Use(next => async ctx =>
        {
            var start = Stopwatch.GetTimestamp();
            try
            {
                await next(ctx);
            }
            finally
            {
                Capture(ctx, queue, start);
            }
        });
    }

    private static void Capture(HttpContext ctx, RequestLogQueue queue, long start)
    {
        var project = ctx.ProjectOrNull();
        if (project is null || !ctx.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) return;
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var request = ctx.Request;
        var headers = request.Headers;
        string kind, collection = "", id = "";
        if (ctx.ApiKey() is { } key)
        {
            kind = "apiKey";
            id = key.Id;
        }
        else if (ctx.Auth() is { } auth)
        {
            collection = auth.Collection.Name;
            kind = collection == ProjectInitializer.SuperusersName ? "superuser" : "auth";
            id = auth.Id;
        }
        else
        {
            kind = "guest";
        }
        string userIp = "", remoteIp = "";
        if (LogSettings.Of(project.Settings).LogIp)
        {
            var remote = ctx.Connection.RemoteIpAddress;
            if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
            remoteIp = remote?.ToString() ?? "";
            userIp = ClientIp.Resolve(ctx.Connection.RemoteIpAddress, headers, RateLimiting.SettingsOf(project.Settings));
        }
        queue.TryEnqueue(project, new RequestLogEntry
        {
            Created = project.Time.GetUtcNow().UtcDateTime,
            Method = request.Method,
            Path = request.PathBase.HasValue ? request.PathBase.Value + request.Path.Value : request.Path.Value ?? "/",
            Query = request.QueryString.Value ?? "",
            Status = ctx.Response.StatusCode,
            DurationMs = ms,
            AuthKind = kind,
            AuthCollection = collection,
            AuthId = id,
            UserIp = userIp,
            RemoteIp = remoteIp,
            UserAgent = headers.UserAgent.ToString(),
            Referer = headers.Referer.ToString(),
            Error = ctx.Items[ErrorWriter.ErrorItemKey] as string ?? "",
        });
    }
}
