namespace PaperGao.Core.Files;

/// <summary>
/// The storage keys of PocketBase's layout (see <see cref="IFileStorage"/>) and their validation.
/// Keys are never built from a raw request path: the parts are ids and normalized filenames, and each key is
/// validated again before a backend uses it.
/// </summary>
public static class FileKeys
{
    public const int MaxKeyLength = 1024;
    public const int MaxSegmentLength = 255;

    public static string Original(string collectionId, string recordId, string filename) =>
        Validate($"{collectionId}/{recordId}/{filename}");

    /// <summary>The cached thumbnail of a file, for a size like "100x100" or "0x300f".</summary>
    public static string Thumb(string collectionId, string recordId, string filename, string size) =>
        Validate($"{collectionId}/{recordId}/thumbs_{filename}/{size}_{filename}");

    /// <summary>Everything stored for a record (originals and thumbnails).</summary>
    public static string RecordPrefix(string collectionId, string recordId) =>
        ValidatePrefix($"{collectionId}/{recordId}/");

    public static string CollectionPrefix(string collectionId) => ValidatePrefix(collectionId + "/");

    /// <summary>The thumbnails of one file.</summary>
    public static string ThumbsPrefix(string collectionId, string recordId, string filename) =>
        ValidatePrefix($"{collectionId}/{recordId}/thumbs_{filename}/");

    public static bool IsValid(string key) => key.Length is > 0 and <= MaxKeyLength && key[^1] != '/' && SegmentsValid(key);

    public static bool IsValidPrefix(string prefix) =>
        prefix.Length == 0 || (prefix.Length <= MaxKeyLength && prefix[^1] == '/' && SegmentsValid(prefix[..^1]));

    /// <summary>Returns the key, or throws when it could name something outside the storage root.</summary>
    public static string Validate(string key) =>
        IsValid(key) ? key : throw new ArgumentException("Invalid storage key.", nameof(key));

    public static string ValidatePrefix(string prefix) =>
        IsValidPrefix(prefix) ? prefix : throw new ArgumentException("Invalid storage prefix.", nameof(prefix));

    /// <summary>True for a name that can be one key segment (a stored filename, an id).</summary>
    public static bool IsValidSegment(string segment) =>
        segment.Length is > 0 and <= MaxSegmentLength && segment is not ("." or "..") && segment.All(IsSegmentChar);

    private static bool SegmentsValid(string path)
    {
        foreach (var s in path.Split('/'))
        {
            if (!IsValidSegment(s)) return false;
        }
        return true;
    }

    private static bool IsSegmentChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';

    /// <summary>The parts of an original's key, or null for a thumbnail or a key of another shape.</summary>
    public static (string CollectionId, string RecordId, string Filename)? ParseOriginal(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && IsValid(key) ? (parts[0], parts[1], parts[2]) : null;
    }

    /// <summary>The parts of a thumbnail's key ("c/r/thumbs_f/size_f"), or null.</summary>
    public static (string CollectionId, string RecordId, string Filename)? ParseThumb(string key)
    {
        var parts = key.Split('/');
        if (parts.Length != 4 || !IsValid(key) || !parts[2].StartsWith("thumbs_", StringComparison.Ordinal)) return null;
        var filename = parts[2]["thumbs_".Length..];
        return parts[3].EndsWith("_" + filename, StringComparison.Ordinal) ? (parts[0], parts[1], filename) : null;
    }
}
