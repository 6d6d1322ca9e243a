namespace PaperGao.Core.Files.Resumable;

/// <summary>
/// A tus upload in progress: the record file field it will be attached to when complete, its declared length, and
/// who created it (only that caller may continue it). <see cref="Offset"/> is the bytes received so far.
/// </summary>
public sealed record ResumableUpload(string Id, string CollectionId, string RecordId, string Field, string Filename, long Length, string OwnerKey, DateTimeOffset Created)
{
    public long Offset { get; init; }

    public bool IsComplete => Offset == Length;
}
