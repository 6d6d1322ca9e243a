namespace PaperGao.Core.Files;

/// <summary>An opened object: the stream of the requested bytes and the description of the whole object.</summary>
public sealed class StoredContent(Stream stream, StoredObject info) : IAsyncDisposable, IDisposable
{
    public Stream Stream { get; } = stream;
    public StoredObject Info { get; } = info;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    public void Dispose() => Stream.Dispose();
}
