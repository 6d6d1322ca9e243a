using System.Collections.Concurrent;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Creates, stores and restores a project's backups, one backup or restore at a time per project (a second one is
/// refused with 400, as in PocketBase), also across processes and cluster nodes (<see cref="BackupLock"/>). A restore
/// pauses the project (<see cref="ProjectGate"/>): new requests wait, the ones inside finish, the content is replaced in
/// one transaction, the project resumes and <see cref="Restored"/> fires (the server disconnects the project's realtime
/// clients so they subscribe again, and tells the other nodes to reload it). Other projects are untouched.
/// </summary>
public sealed class BackupService(ProjectRegistry registry)
{
    /// <summary>How long a restore waits for the requests already inside the project.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, string> _active = new(StringComparer.Ordinal);

    /// <summary>Raised after a project's content was replaced by a restore.</summary>
    public event Action<string>? Restored;

    /// <summary>
    /// Called with the project's name once a backup's data snapshot is written, before its files are copied. Tests set it
    /// to pause a backup at that point; null otherwise.
    /// </summary>
    public Func<string, Task>? AfterSnapshot { get; set; }

    /// <summary>The backup or restore running for the project, or null.</summary>
    public string? ActiveOf(string project) => _active.TryGetValue(project, out var name) ? name : null;

    public async Task<BackupManifest> CreateAsync(Project p, string name, CancellationToken ct = default)
    {
        if (!BackupNames.IsValid(name)) throw InvalidName();
        await using var _ = await BeginAsync(p, name, ct);
        using var timing = Telemetry.PaperGaoMetrics.TimeBackup("create");
        using var store = BackupStore.For(p);
        if (await store.ExistsAsync(name, ct)) throw NameExists();
        store.SweepTemp();
        var tmp = store.NewTempPath();
        // Held from before the snapshot until the zip is stored: files deleted meanwhile stay until the backup copied them.
        await using var hold = p.FileDeletions.Hold();
        try
        {
            BackupManifest manifest;
            var afterSnapshot = AfterSnapshot;
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                manifest = await BackupWriter.WriteAsync(p, fs, ct, afterSnapshot is null ? null : () => afterSnapshot(p.Name));
                await fs.FlushAsync(ct);
                fs.Flush(flushToDisk: true);
            }
            await store.CommitAsync(tmp, name, ct);
            return manifest;
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>
    /// Stores an uploaded zip under the name. Only its first bytes are checked (a zip signature); whether it is a backup is
    /// checked when it is restored, as PocketBase does. Errors name the field "file".
    /// </summary>
    public async Task UploadAsync(Project p, string name, Stream content, CancellationToken ct = default)
    {
        if (!BackupNames.IsValid(name)) throw FileError("validation_match_invalid", "The file name must match ^[a-z0-9_-]+\\.zip$ (max 150 characters).");
        using var store = BackupStore.For(p);
        if (await store.ExistsAsync(name, ct)) throw FileError("validation_backup_name_exists", "Backup file with the specified name already exists.");
        var tmp = store.NewTempPath(BackupStore.UploadPrefix); // not swept by a backup that starts meanwhile
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(fs, 81920, ct);
                fs.Position = 0;
                var head = new byte[4];
                var read = await fs.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, ct);
                if (read < 4 || head[0] != 'P' || head[1] != 'K' || !((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
                    throw FileError("validation_invalid_mime_type", "The file must be a zip archive (application/zip).");
            }
            await store.CommitAsync(tmp, name, ct);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    private static ApiError FileError(string code, string message) =>
        ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("file", new FieldError(code, message)));

    public async Task DeleteAsync(Project p, string name, CancellationToken ct = default)
    {
        if (ActiveOf(p.Name) == name) throw ApiError.BadRequest("The backup is currently being used and cannot be deleted.");
        using var store = BackupStore.For(p);
        if (!await store.ExistsAsync(name, ct)) throw ApiError.BadRequest("Invalid or already deleted backup file.");
        await store.DeleteAsync(name, ct);
    }

    public async Task RestoreAsync(Project p, string name, CancellationToken ct = default)
    {
        await using var _ = await BeginAsync(p, name, ct);
        using var timing = Telemetry.PaperGaoMetrics.TimeBackup("restore");
        using var store = BackupStore.For(p);
        using var copy = await store.FetchAsync(name, ct) ?? throw ApiError.BadRequest("Missing or invalid backup file.");
        using var archive = await BackupArchive.OpenAsync(copy.Path, ct);
        using (await p.Gate.PauseAsync(DrainTimeout, ct))
        {
            if (archive.IsPocketBase) await PocketBaseBackup.RestoreAsync(registry, p, archive, store.TempDir, ct);
            else await BackupRestorer.RestoreAsync(p, archive, ct);
        }
        Restored?.Invoke(p.Name);
    }

    private async Task<Releaser> BeginAsync(Project p, string name, CancellationToken ct)
    {
        if (!_active.TryAdd(p.Name, name)) throw Busy();
        IAsyncDisposable? held = null;
        try
        {
            held = await BackupLock.TryAcquireAsync(p, ct) ?? throw Busy(); // another process or node runs one
        }
        finally
        {
            if (held is null) _active.TryRemove(p.Name, out _);
        }
        return new Releaser(_active, p.Name, held);
    }

    private static ApiError Busy() => ApiError.BadRequest("Try again later - another backup/restore process has already been started.");

    private static ApiError InvalidName() => ApiError.BadRequest("An error occurred while validating the submitted data.",
        new ErrorData().Add("name", new FieldError("validation_match_invalid", "Must be in a valid format: lowercase letters, digits, '_' or '-', ending with .zip (max 150 characters).")));

    private static ApiError NameExists() => ApiError.BadRequest("An error occurred while validating the submitted data.",
        new ErrorData().Add("name", new FieldError("validation_backup_name_exists", "The backup file name is invalid or already exists.")));

    private sealed class Releaser(ConcurrentDictionary<string, string> active, string project, IAsyncDisposable held) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await held.DisposeAsync(); }
            finally { active.TryRemove(project, out _); }
        }
    }
}
