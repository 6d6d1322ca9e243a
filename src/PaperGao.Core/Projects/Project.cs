using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Projects;

/// <summary>
/// One tenant: its database, its collections (an immutable snapshot swapped on change) and its settings.
/// Schema changes are serialized per project by <see cref="SchemaLock"/>.
/// </summary>
public sealed class Project(string name, ProjectDatabase database, CollectionSet collections, ProjectSettings settings) : IAsyncDisposable
{
    private CollectionSet _collections = collections;
    private ProjectSettings _settings = settings;

    public string Name { get; } = name;
    public ProjectDatabase Database { get; } = database;
    public ISqlDialect Dialect => Database.Dialect;
    public SemaphoreSlim SchemaLock { get; } = new(1, 1);

    /// <summary>The hook points of every record write in this project.</summary>
    public Hooks.RecordHooks Hooks { get; } = new();

    public CollectionSet Collections => Volatile.Read(ref _collections);
    public ProjectSettings Settings => Volatile.Read(ref _settings);

    /// <summary>Raised after this node changed the schema (not when it took another node's change).</summary>
    public event Action<Project>? CollectionsChanged;

    public void SetCollections(CollectionSet set)
    {
        Volatile.Write(ref _collections, set);
        CollectionsChanged?.Invoke(this);
    }

    /// <summary>Takes a snapshot reloaded after another node changed the schema (raises no event).</summary>
    public void ReplaceCollections(CollectionSet set) => Volatile.Write(ref _collections, set);
    public void SetSettings(ProjectSettings s) => Volatile.Write(ref _settings, s);

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
