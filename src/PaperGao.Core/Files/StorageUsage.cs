namespace PaperGao.Core.Files;

/// <summary>
/// What a project's files take in its storage: totals, and per collection (originals and thumbnails apart).
/// Computed by listing the storage, so it costs one list request per 1,000 objects on S3.
/// </summary>
public static class StorageUsage
{
    public sealed record Totals(long Files, long Bytes, long Thumbs, long ThumbBytes);

    public sealed record Report(string Storage, Totals Total, IReadOnlyDictionary<string, Totals> Collections);

    public static async Task<Report> MeasureAsync(IFileStorage storage, CancellationToken ct)
    {
        var perCollection = new Dictionary<string, (long Files, long Bytes, long Thumbs, long ThumbBytes)>(StringComparer.Ordinal);
        (long Files, long Bytes, long Thumbs, long ThumbBytes) total = default;
        await foreach (var o in storage.ListAsync("", ct))
        {
            var slash = o.Key.IndexOf('/', StringComparison.Ordinal);
            var collection = slash > 0 ? o.Key[..slash] : o.Key;
            var isThumb = FileKeys.ParseThumb(o.Key) is not null;
            var c = perCollection.GetValueOrDefault(collection);
            if (isThumb)
            {
                c = (c.Files, c.Bytes, c.Thumbs + 1, c.ThumbBytes + o.Length);
                total = (total.Files, total.Bytes, total.Thumbs + 1, total.ThumbBytes + o.Length);
            }
            else
            {
                c = (c.Files + 1, c.Bytes + o.Length, c.Thumbs, c.ThumbBytes);
                total = (total.Files + 1, total.Bytes + o.Length, total.Thumbs, total.ThumbBytes);
            }
            perCollection[collection] = c;
        }
        return new Report(storage.Kind, new Totals(total.Files, total.Bytes, total.Thumbs, total.ThumbBytes),
            perCollection.ToDictionary(kv => kv.Key, kv => new Totals(kv.Value.Files, kv.Value.Bytes, kv.Value.Thumbs, kv.Value.ThumbBytes), StringComparer.Ordinal));
    }
}
