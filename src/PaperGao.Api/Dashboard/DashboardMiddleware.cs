using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PaperGao.Api.Dashboard;

/// <summary>
/// Serves the embedded dashboard at /_/ (docs/dashboard.md): hashed assets cached for a year, index.html revalidated
/// every time, unknown paths outside assets/ answered with index.html (the app routes with the URL hash), and a
/// Content-Security-Policy that allows only this origin. index.html is written per request with a fresh style nonce
/// (its <c>csp-nonce</c> meta tag): the code editor (CodeMirror) must add its &lt;style&gt; element, and without a
/// nonce that would need style-src 'unsafe-inline'.
/// </summary>
public static class DashboardMiddleware
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The placeholder in dashboard/index.html that each response replaces with its nonce.</summary>
    private static readonly byte[] NoncePlaceholder = "PAPERGAO_CSP_NONCE"u8.ToArray();

    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app)
    {
        var files = app.ApplicationServices.GetRequiredService<DashboardFiles>();
        return app.Use((ctx, next) => InvokeAsync(ctx, next, files));
    }

    private static Task InvokeAsync(HttpContext ctx, RequestDelegate next, DashboardFiles files)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (path == "/_")
        {
            ctx.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            ctx.Response.Headers.Location = "/_/" + ctx.Request.QueryString;
            return Task.CompletedTask;
        }
        if (!path.StartsWith("/_/", StringComparison.Ordinal) || !files.Available) return next(ctx);
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method)) return next(ctx);

        var relative = path[3..];
        var file = relative.Length == 0 ? files.Find("index.html") : files.Find(relative);
        // The app routes with the URL hash, so any other page path gets index.html; a missing asset stays a 404.
        if (file is null && !relative.StartsWith("assets/", StringComparison.Ordinal)) file = files.Find("index.html");
        if (file is null) return next(ctx);
        return file.Path == "index.html" ? WriteIndexAsync(ctx, file) : WriteAsync(ctx, file, ContentSecurityPolicy);
    }

    /// <summary>
    /// index.html with a nonce of its own (128 random bits) allowed for styles; never cached or answered with 304,
    /// because a cached page would carry a nonce that the new response's policy no longer names.
    /// </summary>
    private static async Task WriteIndexAsync(HttpContext ctx, DashboardFile file)
    {
        var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var content = file.Content;
        var at = content.AsSpan().IndexOf(NoncePlaceholder);
        var csp = ContentSecurityPolicy;
        if (at >= 0)
        {
            content = [.. content.AsSpan(0, at), .. System.Text.Encoding.ASCII.GetBytes(nonce), .. content.AsSpan(at + NoncePlaceholder.Length)];
            csp = csp.Replace("style-src 'self'", $"style-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);
        }
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = csp;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h.CacheControl = "no-cache, no-store";
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = file.ContentType;
        ctx.Response.ContentLength = content.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await ctx.Response.Body.WriteAsync(content, ctx.RequestAborted);
    }

    /// <summary>Writes one embedded file with its caching, ETag and security headers (also used for the GraphQL explorer).</summary>
    internal static async Task WriteAsync(HttpContext ctx, DashboardFile file, string contentSecurityPolicy)
    {
        var h = ctx.Response.Headers;
        h.ContentSecurityPolicy = contentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "same-origin";
        h.CacheControl = file.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        h.ETag = file.ETag;
        h.Vary = "Accept-Encoding";
        if (ctx.Request.Headers.IfNoneMatch.Contains(file.ETag))
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var gzip = file.Gzipped is not null && AcceptsGzip(ctx.Request);
        var body = gzip ? file.Gzipped! : file.Content;
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = file.ContentType;
        if (gzip) h.ContentEncoding = "gzip";
        ctx.Response.ContentLength = body.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    private static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is null) continue;
            foreach (var part in value.Split(','))
            {
                var token = part.Trim();
                if (token.StartsWith("gzip", StringComparison.OrdinalIgnoreCase) && !token.Replace(" ", "", StringComparison.Ordinal).EndsWith("q=0", StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }
}
