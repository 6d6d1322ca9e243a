using System.Collections.Concurrent;
using PaperGao.Core.Files;

namespace PaperGao.Api.Files;

/// <summary>
/// The Content-Type a stored file is served with: the backend's stored type when it has one (S3), otherwise sniffed
/// from the first bytes (cached by key, size and date), with PocketBase's overrides for types sniffing cannot tell
/// apart (.css, .js, Office documents).
/// </summary>
public static class FileContentTypes
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);
    private const int MaxCached = 20_000;

    public static async Task<string> OfAsync(IFileStorage storage, StoredObject obj, string filename, CancellationToken ct)
    {
        var sniffed = obj.ContentType ?? await SniffAsync(storage, obj, ct);
        return Override(sniffed, filename);
    }

    private static async Task<string> SniffAsync(IFileStorage storage, StoredObject obj, CancellationToken ct)
    {
        var cacheKey = string.Concat(storage.Kind, ":", obj.Key, ":", obj.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":",
            obj.LastModified.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (Cache.TryGetValue(cacheKey, out var cached)) return cached;
        var buffer = new byte[ContentSniffer.HeaderLength];
        var n = 0;
        await using (var content = await storage.OpenReadAsync(obj.Key, 0, buffer.Length, ct))
        {
            if (content is null) return "application/octet-stream";
            int read;
            while (n < buffer.Length && (read = await content.Stream.ReadAsync(buffer.AsMemory(n), ct)) > 0) n += read;
        }
        var type = ContentSniffer.Detect(buffer.AsSpan(0, n));
        if (Cache.Count >= MaxCached) Cache.Clear();
        Cache[cacheKey] = type;
        return type;
    }

    private static string Override(string sniffed, string filename)
    {
        var ext = Path.GetExtension(filename).ToLowerInvariant();
        var essence = ContentSniffer.Essence(sniffed);
        return (ext, essence) switch
        {
            (".css", "text/plain") => "text/css; charset=utf-8",
            (".js" or ".mjs", "text/plain") => "text/javascript; charset=utf-8",
            (".docx", "application/zip") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".xlsx", "application/zip") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".pptx", "application/zip") => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            _ => sniffed,
        };
    }
}
