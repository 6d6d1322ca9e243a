using System.Runtime.CompilerServices;

namespace PaperGao.Core.Files;

/// <summary>
/// Files on local disk under one root folder (a project's "storage" folder). A write goes to a temporary file in
/// "&lt;root&gt;/.tmp" first and is moved into place, so a reader never sees half a file. The content type is not
/// stored: readers sniff it from the first bytes.
/// </summary>
public sealed class LocalFileStorage : IFileStorage
{
    private const string TempFolder = ".tmp";
    private readonly string _root;

    public LocalFileStorage(string root)
    {
        _root = Path.GetFullPath(root);
    }

    public string Kind => "local";

    public string Root => _root;

    public async Task WriteAsync(string key, Stream content, string contentType, CancellationToken ct = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmpDir = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(tmpDir);
        var tmp = Path.Combine(tmpDir, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(fs, 81920, ct);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    public Task<StoredObject?> StatAsync(string key, CancellationToken ct = default)
    {
        var info = new FileInfo(PathOf(key));
        return Task.FromResult(info.Exists ? Describe(key, info) : null);
    }

    public Task<StoredContent?> OpenReadAsync(string key, long offset = 0, long? length = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        FileStream fs;
        try
        {
            fs = new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<StoredContent?>(null);
        }
        var info = Describe(key, new FileInfo(fs.Name));
        if (offset > 0) fs.Seek(Math.Min(offset, fs.Length), SeekOrigin.Begin);
        Stream stream = length is { } n ? new BoundedStream(fs, n) : fs;
        return Task.FromResult<StoredContent?>(new StoredContent(stream, info with { Length = fs.Length }));
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        var path = PathOf(key);
        File.Delete(path);
        RemoveEmptyParents(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken ct = default)
    {
        var dir = DirOf(prefix);
        if (!Directory.Exists(dir)) return Task.FromResult(0);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            if (IsInTemp(file)) continue;
            File.Delete(file);
            count++;
        }
        if (prefix.Length > 0)
        {
            Directory.Delete(dir, recursive: true);
            RemoveEmptyParents(Path.GetDirectoryName(dir.TrimEnd(Path.DirectorySeparatorChar))!);
        }
        return Task.FromResult(count);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var dir = DirOf(prefix);
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            if (IsInTemp(file)) continue;
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!FileKeys.IsValid(key)) continue; // not written by us
            var info = new FileInfo(file);
            if (info.Exists) yield return Describe(key, info);
        }
        await Task.CompletedTask;
    }

    /// <summary>The full path of a key, checked to be inside the root (keys are validated first, this is the second guard).</summary>
    private string PathOf(string key)
    {
        FileKeys.Validate(key);
        var full = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Invalid storage key.", nameof(key));
        return full;
    }

    private string DirOf(string prefix)
    {
        FileKeys.ValidatePrefix(prefix);
        if (prefix.Length == 0) return _root;
        var full = Path.GetFullPath(Path.Combine(_root, prefix.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Invalid storage prefix.", nameof(prefix));
        return full;
    }

    private bool IsInTemp(string file) =>
        file.StartsWith(Path.Combine(_root, TempFolder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>Removes the folders a delete left empty, up to (not including) the root.</summary>
    private void RemoveEmptyParents(string dir)
    {
        while (dir.Length > _root.Length && dir.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            try
            {
                if (!Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).Any()) return;
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                return; // a concurrent write created something in it
            }
            dir = Path.GetDirectoryName(dir)!;
        }
    }

    private static StoredObject Describe(string key, FileInfo info) =>
        new(key, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), null);
}
