using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PaperGao.Core.Files;

/// <summary>
/// Thumbnails made on first request and cached in the storage next to the original (FileKeys.Thumb). Work is bounded:
/// at most CPUs + 2 images are decoded at once, concurrent requests for the same thumbnail share one job, and an
/// image that cannot get a thumbnail (corrupt, too many pixels) is remembered so it is not decoded again.
/// </summary>
public static class Thumbnails
{
    private static readonly SemaphoreSlim Workers = new(Environment.ProcessorCount + 2);
    private static readonly ConcurrentDictionary<string, Task<bool>> InFlight = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> Refused = new(StringComparer.Ordinal);
    private const int MaxRefused = 10_000;

    /// <summary>How long a request waits for a free worker before it is served the original instead.</summary>
    public static TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>True when the thumbnail exists in the storage (made now if needed); false to serve the original.</summary>
    public static async Task<bool> EnsureAsync(IFileStorage storage, string originalKey, string thumbKey, ThumbSize size, CancellationToken ct)
    {
        var id = RuntimeHelpers.GetHashCode(storage) + ":" + thumbKey;
        if (Refused.ContainsKey(id)) return false;
        if (await storage.ExistsAsync(thumbKey, ct)) return true;
        var job = InFlight.GetOrAdd(id, _ => MakeAsync(storage, originalKey, thumbKey, size));
        try
        {
            return await job.WaitAsync(ct);
        }
        finally
        {
            if (job.IsCompleted) InFlight.TryRemove(new KeyValuePair<string, Task<bool>>(id, job));
        }
    }

    private static async Task<bool> MakeAsync(IFileStorage storage, string originalKey, string thumbKey, ThumbSize size)
    {
        await Task.Yield();
        var id = RuntimeHelpers.GetHashCode(storage) + ":" + thumbKey;
        if (!await Workers.WaitAsync(MaxWait)) return false;
        try
        {
            await using var original = await storage.OpenReadAsync(originalKey);
            if (original is null) return false;
            var made = ThumbnailMaker.Make(original.Stream, size);
            if (made is not { } thumb)
            {
                if (Refused.Count >= MaxRefused) Refused.Clear();
                Refused[id] = 0;
                return false;
            }
            using var ms = new MemoryStream(thumb.Data, writable: false);
            await storage.WriteAsync(thumbKey, ms, thumb.ContentType);
            return true;
        }
        finally
        {
            Workers.Release();
        }
    }
}
