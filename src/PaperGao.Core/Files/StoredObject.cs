namespace PaperGao.Core.Files;

/// <summary>An object in a <see cref="IFileStorage"/>: its key, size, last modification and content type (null when unknown).</summary>
public sealed record StoredObject(string Key, long Length, DateTimeOffset LastModified, string? ContentType);
