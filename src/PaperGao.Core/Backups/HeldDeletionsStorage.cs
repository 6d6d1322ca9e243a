using PaperGao.Core.Files;

namespace PaperGao.Core.Backups;

/// <summary>A project's storage as its requests see it: deletions wait while a backup holds them (<see cref="FileDeletionHold"/>).</summary>
public sealed class HeldDeletionsStorage(IFileStorage inner, FileDeletionHold hold) : IFileStorage
{
    public IFileStorage Inner => inner;

    public string Kind => inner.Kind;

    public Task WriteAsync(string key, Stream content, string contentType, CancellationToken ct = default) => inner.WriteAsync(key, content, contentType, ct);

    public Task<StoredObject?> StatAsync(string key, CancellationToken ct = default) => inner.StatAsync(key, ct);

    public Task<StoredContent?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken ct = default) =>
        inner.OpenReadAsync(key, offset, length, ct);

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => inner.ExistsAsync(key, ct);

    public Task DeleteAsync(string key, CancellationToken ct = default) =>
        hold.TryDefer(inner, FileKeys.Validate(key), isPrefix: false) ? Task.CompletedTask : inner.DeleteAsync(key, ct);

    /// <summary>Returns 0 when the deletion was postponed.</summary>
    public Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default) =>
        hold.TryDefer(inner, FileKeys.ValidatePrefix(prefix), isPrefix: true) ? Task.FromResult(0) : inner.DeletePrefixAsync(prefix, ct);

    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken ct = default) => inner.ListAsync(prefix, ct);
}
