using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Where a project's backups are kept: the folder "projects/&lt;name&gt;/backups" beside its storage folder, or the
/// bucket of the "backups.s3" settings when enabled. A backup is first written whole to a temporary file in
/// "backups/.tmp" (never a valid backup name, never listed) and only then moved (local) or uploaded (S3) under its name,
/// so a crash never leaves a partial zip under a valid name.
/// </summary>
public sealed class BackupStore : IDisposable
{
    private const string TempPrefix = "backup-";

    /// <summary>The prefix of an upload's temporary file.</summary>
    public const string UploadPrefix = "upload-";

    /// <summary>How old an upload's temporary file must be to count as left behind by a crash (an upload in progress keeps writing it).</summary>
    private static readonly TimeSpan StaleUpload = TimeSpan.FromHours(1);

    private readonly IFileStorage _storage;
    private readonly LocalFileStorage? _local;

    private BackupStore(IFileStorage storage, string localDir)
    {
        _storage = storage;
        _local = storage as LocalFileStorage;
        LocalDir = localDir;
        TempDir = Path.Combine(localDir, ".tmp");
    }

    /// <summary>The local backups folder (also holds the temporary files when the backups go to S3).</summary>
    public string LocalDir { get; }

    public string TempDir { get; }

    public string Kind => _storage.Kind;

    /// <summary>The storage itself (to serve a download); keys are backup names.</summary>
    public IFileStorage Storage => _storage;

    public static string LocalDirOf(Project p) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(p.StorageDir))!, "backups");

    public static BackupStore For(Project p)
    {
        var dir = LocalDirOf(p);
        var s3 = S3Settings.From(p.Settings.Extra["backups"]?["s3"]);
        return new BackupStore(s3.Enabled ? new S3FileStorage(s3) : new LocalFileStorage(dir), dir);
    }

    /// <summary>Every backup, newest first.</summary>
    public async Task<List<BackupInfo>> ListAsync(CancellationToken ct = default)
    {
        var list = new List<BackupInfo>();
        await foreach (var o in _storage.ListAsync("", ct))
        {
            if (BackupNames.IsValid(o.Key)) list.Add(new BackupInfo(o.Key, o.Length, o.LastModified));
        }
        list.Sort((a, b) => b.Modified.CompareTo(a.Modified) is var c && c != 0 ? c : string.CompareOrdinal(a.Key, b.Key));
        return list;
    }

    public Task<bool> ExistsAsync(string name, CancellationToken ct = default) =>
        BackupNames.IsValid(name) ? _storage.ExistsAsync(name, ct) : Task.FromResult(false);

    /// <summary>The backup's content (null when missing or the name is invalid); the caller disposes it.</summary>
    public Task<StoredContent?> OpenReadAsync(string name, long offset = 0, long? length = null, CancellationToken ct = default) =>
        BackupNames.IsValid(name) ? _storage.OpenReadAsync(name, offset, length, ct) : Task.FromResult<StoredContent?>(null);

    public Task DeleteAsync(string name, CancellationToken ct = default)
    {
        if (!BackupNames.IsValid(name)) throw new ArgumentException("Invalid backup name.", nameof(name));
        return _storage.DeleteAsync(name, ct);
    }

    /// <summary>
    /// A new temporary file path (the file is not created). Backups and restores (run one at a time, under
    /// <see cref="BackupLock"/>) use the "backup-" prefix; uploads, which run beside them, pass "upload-".
    /// </summary>
    public string NewTempPath(string prefix = TempPrefix)
    {
        Directory.CreateDirectory(TempDir);
        return Path.Combine(TempDir, prefix + Guid.NewGuid().ToString("N") + ".part");
    }

    /// <summary>
    /// Removes temporary files a crashed backup left behind (called under <see cref="BackupLock"/>, so no other backup
    /// or restore writes one), and uploads' temporary files untouched for an hour.
    /// </summary>
    public void SweepTemp()
    {
        if (!Directory.Exists(TempDir)) return;
        var staleBefore = DateTime.UtcNow - StaleUpload;
        foreach (var f in Directory.EnumerateFiles(TempDir, "*.part"))
        {
            var name = Path.GetFileName(f);
            var sweep = name.StartsWith(TempPrefix, StringComparison.Ordinal)
                || (name.StartsWith(UploadPrefix, StringComparison.Ordinal) && File.GetLastWriteTimeUtc(f) < staleBefore);
            if (!sweep) continue;
            try { File.Delete(f); }
            catch (IOException) { /* in use */ }
        }
    }

    /// <summary>Puts a complete temporary file in place under the name (a rename on local disk, an upload to S3) and removes the temporary file.</summary>
    public async Task CommitAsync(string tempPath, string name, CancellationToken ct = default)
    {
        if (!BackupNames.IsValid(name)) throw new ArgumentException("Invalid backup name.", nameof(name));
        try
        {
            if (_local is not null)
            {
                Directory.CreateDirectory(LocalDir);
                File.Move(tempPath, Path.Combine(LocalDir, name), overwrite: true);
                return;
            }
            await using var fs = new FileStream(tempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
            await _storage.WriteAsync(name, fs, "application/zip", ct);
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    /// <summary>A local copy of a stored backup to read (the file itself on local disk; a download to a temporary file for S3).</summary>
    public async Task<LocalCopy?> FetchAsync(string name, CancellationToken ct = default)
    {
        if (!BackupNames.IsValid(name)) return null;
        if (_local is not null)
        {
            var path = Path.Combine(LocalDir, name);
            return File.Exists(path) ? new LocalCopy(path, false) : null;
        }
        await using var content = await _storage.OpenReadAsync(name, 0, null, ct);
        if (content is null) return null;
        var tmp = NewTempPath();
        await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            await content.Stream.CopyToAsync(fs, 81920, ct);
        return new LocalCopy(tmp, true);
    }

    public void Dispose() => (_storage as IDisposable)?.Dispose();

    /// <summary>A backup file on local disk; a temporary download is deleted on dispose.</summary>
    public sealed class LocalCopy(string path, bool temporary) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose()
        {
            if (temporary) File.Delete(Path);
        }
    }
}
