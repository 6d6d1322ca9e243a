using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Projects;

/// <summary>
/// One tenant: its database, its collections (an immutable snapshot swapped on change) and its settings.
/// Schema changes are serialized per project by <see cref="SchemaLock"/>.
/// </summary>
public sealed class Project(string name, ProjectDatabase database, CollectionSet collections, ProjectSettings settings, string storageDir) : IAsyncDisposable
{
    private readonly Lock _storageLock = new();
    private (string Fingerprint, Files.IFileStorage Storage)? _storage;
    private CollectionSet _collections = collections;
    private ProjectSettings _settings = settings;
    private readonly List<IAsyncDisposable> _owned = [];
    private bool _disposed;

    public string Name { get; } = name;
    public ProjectDatabase Database { get; } = database;
    public ISqlDialect Dialect => Database.Dialect;
    public SemaphoreSlim SchemaLock { get; } = new(1, 1);

    /// <summary>Paused while a backup is restored into the project (Backups/BackupRestorer).</summary>
    public ProjectGate Gate { get; } = new();

    /// <summary>Postpones file deletions while a backup copies the files of its snapshot (Backups/FileDeletionHold).</summary>
    public Backups.FileDeletionHold FileDeletions { get; } = new();

    /// <summary>
    /// The server's clock (TimeProvider.System unless a test gave the registry a fake one to move time instead of
    /// waiting for it): stored timestamps (autodates, created/updated), expiry windows and schedules read it.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Now on <see cref="Time"/>, in the storage layout.</summary>
    public string Now() => DateTimes.Now(Time);

    /// <summary>The hook points of every record write in this project.</summary>
    public Hooks.RecordHooks Hooks { get; } = new();

    public CollectionSet Collections => Volatile.Read(ref _collections);
    public ProjectSettings Settings => Volatile.Read(ref _settings);

    /// <summary>The local folder of this project's files (used when no S3 storage is enabled in the settings).</summary>
    public string StorageDir { get; } = storageDir;

    /// <summary>Resumable (tus) uploads in progress: a local folder next to the storage folder, whatever the storage is.</summary>
    public Files.Resumable.ResumableUploadStore Uploads => _uploads ??= new Files.Resumable.ResumableUploadStore(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(StorageDir))!, "uploads"), Time);

    private Files.Resumable.ResumableUploadStore? _uploads;

    /// <summary>Where this project's files live, chosen from the settings ("s3" section) and remade when they change.</summary>
    public Files.IFileStorage Storage
    {
        get
        {
            var s = Settings;
            var fingerprint = Files.FileStorageFactory.Fingerprint(s);
            lock (_storageLock)
            {
                if (_storage is { } cached && cached.Fingerprint == fingerprint) return cached.Storage;
                var storage = new Backups.HeldDeletionsStorage(Files.FileStorageFactory.Create(s, StorageDir), FileDeletions);
                _storage = (fingerprint, storage);
                return storage;
            }
        }
    }


    /// <summary>Raised after this node changed the schema (not when it took another node's change).</summary>
    public event Action<Project>? CollectionsChanged;

    public void SetCollections(CollectionSet set)
    {
        Volatile.Write(ref _collections, set);
        Database.SchemaChanged();
        CollectionsChanged?.Invoke(this);
    }

    /// <summary>Takes a snapshot reloaded after another node changed the schema (raises no event).</summary>
    public void ReplaceCollections(CollectionSet set)
    {
        Volatile.Write(ref _collections, set);
        Database.SchemaChanged();
    }
    /// <summary>Raised after this node changed the settings (not when it took another node's change).</summary>
    public event Action<Project>? SettingsChanged;

    public void SetSettings(ProjectSettings s)
    {
        Volatile.Write(ref _settings, s);
        SettingsChanged?.Invoke(this);
    }

    /// <summary>Takes settings reloaded after another node changed them (raises no event).</summary>
    public void ReplaceSettings(ProjectSettings s) => Volatile.Write(ref _settings, s);

    /// <summary>
    /// Hands a resource that lives as long as the project (its log database) to the project, which disposes it first
    /// when it closes. False (and nothing kept) when the project is already closed: the caller disposes it.
    /// </summary>
    public bool IsClosed => Volatile.Read(ref _disposed);

    public bool Own(IAsyncDisposable resource)
    {
        lock (_owned)
        {
            if (_disposed) return false;
            _owned.Add(resource);
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable[] owned;
        lock (_owned)
        {
            if (_disposed) return;
            _disposed = true;
            owned = [.. _owned];
        }
        foreach (var r in owned) await r.DisposeAsync();
        await Database.DisposeAsync();
    }
}
