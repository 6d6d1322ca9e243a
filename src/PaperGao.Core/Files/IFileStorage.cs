namespace PaperGao.Core.Files;

/// <summary>
/// Where a project's uploaded files live: local disk (the default) or an S3-compatible bucket.
///
/// Keys follow PocketBase's storage layout, so a PocketBase pb_data/storage folder or bucket can be used as is:
/// <code>
///   &lt;collectionId&gt;/&lt;recordId&gt;/&lt;filename&gt;                                   an original upload
///   &lt;collectionId&gt;/&lt;recordId&gt;/thumbs_&lt;filename&gt;/&lt;WxH[t|b|f]&gt;_&lt;filename&gt;   a generated thumbnail
/// </code>
/// Every key is checked by <see cref="FileKeys.Validate"/> before any backend touches it: segments of
/// [A-Za-z0-9_.-] only, never "." or "..", so nothing can ever leave the storage root.
/// A prefix is either "" (everything) or a key ending with "/".
/// </summary>
public interface IFileStorage
{
    /// <summary>A short name for logs and the usage endpoint ("local" or "s3").</summary>
    string Kind { get; }

    /// <summary>Writes (or replaces) the object from the stream, which is read to its end and not disposed.</summary>
    Task WriteAsync(string key, Stream content, string contentType, CancellationToken ct = default);

    /// <summary>Length, last modification and content type (when the backend keeps it), or null when missing.</summary>
    Task<StoredObject?> StatAsync(string key, CancellationToken ct = default);

    /// <summary>
    /// Opens the object for reading from <paramref name="offset"/>, at most <paramref name="length"/> bytes (null: to the end).
    /// Null when the object does not exist. The caller disposes the result.
    /// </summary>
    Task<StoredContent?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken ct = default);

    Task<bool> ExistsAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes the object; a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct = default);

    /// <summary>Deletes every object under the prefix ("a/b/"); returns how many were deleted.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default);

    /// <summary>Every object under the prefix ("" for all), in no particular order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct = default);
}
