using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using PaperGao.Core.Files;

namespace PaperGao.Api.Files;

/// <summary>
/// Writes a stored file: ETag / If-None-Match and If-Modified-Since (304), a single byte Range (206, 416 when it
/// cannot be satisfied; If-Range honoured), inline for images, audio, video and PDF and attachment for everything
/// else (HTML, SVG, scripts: an upload never runs in the site's origin), a sandboxing Content-Security-Policy.
/// </summary>
public static class FileResponse
{
    private static readonly HashSet<string> Inline = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp",
        "video/webm", "video/mp4", "video/3gpp", "video/quicktime", "video/x-ms-wmv",
        "audio/basic", "audio/aiff", "audio/mpeg", "audio/midi", "audio/mp3", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a", "audio/aac", "audio/ogg", "audio/flac", "audio/mp4",
        "application/pdf", "application/x-pdf",
    };

    public static async Task WriteAsync(HttpContext ctx, IFileStorage storage, StoredObject obj, string contentType, string name, bool download)
    {
        var res = ctx.Response;
        var h = res.Headers;
        var etag = ETagOf(obj);
        var lastModified = obj.LastModified.ToUniversalTime();
        lastModified = new DateTimeOffset(lastModified.Year, lastModified.Month, lastModified.Day, lastModified.Hour, lastModified.Minute, lastModified.Second, TimeSpan.Zero);
        var inline = !download && Inline.Contains(Core.Files.ContentSniffer.Essence(contentType));
        h.Remove("X-Frame-Options");
        h.ContentType = contentType;
        h.ContentDisposition = (inline ? "inline" : "attachment") + "; filename=\"" + name + "\"";
        h.ContentSecurityPolicy = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
        h.CacheControl = "max-age=2592000, stale-while-revalidate=86400";
        h.ETag = etag;
        h.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        h.AcceptRanges = "bytes";

        if (NotModified(ctx.Request, etag, lastModified))
        {
            res.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        long from = 0, length = obj.Length;
        var range = ctx.Request.Headers.Range.ToString();
        if (range.Length > 0 && IfRangeMatches(ctx.Request, etag, lastModified))
        {
            switch (ParseRange(range, obj.Length, out from, out length))
            {
                case RangeResult.Unsatisfiable:
                    res.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                    h.ContentRange = "bytes */" + obj.Length.ToString(CultureInfo.InvariantCulture);
                    h.Remove(HeaderNames.ContentDisposition);
                    h.ContentType = "text/plain; charset=utf-8";
                    return;
                case RangeResult.Partial:
                    res.StatusCode = StatusCodes.Status206PartialContent;
                    h.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {from}-{from + length - 1}/{obj.Length}");
                    break;
                default:
                    from = 0;
                    length = obj.Length;
                    break;
            }
        }
        res.ContentLength = length;
        if (HttpMethods.IsHead(ctx.Request.Method) || length == 0) return;
        await using var content = await storage.OpenReadAsync(obj.Key, from, length, ctx.RequestAborted);
        if (content is null)
        {
            res.StatusCode = StatusCodes.Status404NotFound;
            res.ContentLength = 0;
            return;
        }
        await CopyAsync(content.Stream, res.Body, storage.Kind == "local", ctx.RequestAborted);
    }

    /// <summary>Copies to the response; local files are read synchronously (page-cache reads), S3 bodies asynchronously.</summary>
    private static async Task CopyAsync(Stream from, Stream to, bool syncReads, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int n;
            while ((n = syncReads ? from.Read(buffer, 0, buffer.Length) : await from.ReadAsync(buffer.AsMemory(), ct)) > 0)
                await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string ETagOf(StoredObject obj) =>
        "\"" + obj.LastModified.UtcTicks.ToString("x", CultureInfo.InvariantCulture) + "-" + obj.Length.ToString("x", CultureInfo.InvariantCulture) + "\"";

    private static bool NotModified(HttpRequest req, string etag, DateTimeOffset lastModified)
    {
        var inm = req.Headers.IfNoneMatch.ToString();
        if (inm.Length > 0)
            return inm.Trim() == "*" || inm.Split(',').Any(t => t.Trim().TrimStart('W', '/') == etag);
        return HttpMethods.IsGet(req.Method) || HttpMethods.IsHead(req.Method)
            ? DateTimeOffset.TryParse(req.Headers.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since) && lastModified <= since
            : false;
    }

    private static bool IfRangeMatches(HttpRequest req, string etag, DateTimeOffset lastModified)
    {
        var ifRange = req.Headers.IfRange.ToString();
        if (ifRange.Length == 0) return true;
        if (ifRange.StartsWith('"')) return ifRange == etag;
        return DateTimeOffset.TryParse(ifRange, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) && d == lastModified;
    }

    private enum RangeResult { Ignore, Partial, Unsatisfiable }

    /// <summary>One "bytes=a-b", "bytes=a-" or "bytes=-n" range. Several ranges, or anything malformed, are ignored (200 with the whole file).</summary>
    private static RangeResult ParseRange(string header, long size, out long from, out long length)
    {
        from = 0;
        length = size;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Length > 200) return RangeResult.Ignore;
        var spec = header[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) return RangeResult.Ignore;
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return RangeResult.Ignore;
        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        const NumberStyles digits = NumberStyles.None;
        if (a.Length == 0)
        {
            if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out var suffix)) return RangeResult.Ignore;
            if (suffix == 0 || size == 0) return RangeResult.Unsatisfiable;
            length = Math.Min(suffix, size);
            from = size - length;
            return RangeResult.Partial;
        }
        if (!long.TryParse(a, digits, CultureInfo.InvariantCulture, out var start)) return RangeResult.Ignore;
        if (start >= size) return RangeResult.Unsatisfiable;
        long end;
        if (b.Length == 0) end = size - 1;
        else if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out end)) return RangeResult.Ignore;
        if (end < start) return RangeResult.Ignore;
        end = Math.Min(end, size - 1);
        from = start;
        length = end - start + 1;
        return RangeResult.Partial;
    }
}
