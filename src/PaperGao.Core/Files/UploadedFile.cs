namespace PaperGao.Core.Files;

/// <summary>
/// A file submitted with a record (a multipart part, a completed tus upload, an imported file): its original
/// name, its size and a way to read it. The content is already spooled somewhere (a temporary file, not memory);
/// <see cref="OpenRead"/> may be called more than once. The stored name and the sniffed type are set on first use.
/// </summary>
public sealed class UploadedFile(string originalName, long length, Func<Stream> openRead)
{
    private string? _contentType;
    private string? _name;

    public string OriginalName { get; } = originalName;
    public long Length { get; } = length;

    public Stream OpenRead() => openRead();

    /// <summary>The MIME type detected from the first bytes of the content (never the client's claim).</summary>
    public string ContentType
    {
        get
        {
            if (_contentType is not null) return _contentType;
            using var s = OpenRead();
            Span<byte> head = stackalloc byte[ContentSniffer.HeaderLength];
            var n = 0;
            int read;
            while (n < head.Length && (read = s.Read(head[n..])) > 0) n += read;
            return _contentType = ContentSniffer.Detect(head[..n]);
        }
    }

    /// <summary>The name it is stored under: name_&lt;10 random&gt;.ext (protocol.md §2.4).</summary>
    public string Name => _name ??= FileNames.Normalize(OriginalName, ContentType);
}
