namespace PaperGao.Core.Collections;

/// <summary>
/// An immutable snapshot of a project's collections, looked up by id or name (names case-insensitively).
/// Replaced as a whole when the schema changes; <see cref="Version"/> grows with each change
/// (GraphQL and other schema-derived caches key on it).
/// </summary>
public sealed class CollectionSet
{
    private readonly Dictionary<string, Collection> _byId;
    private readonly Dictionary<string, Collection> _byName;

    public CollectionSet(IEnumerable<Collection> collections, long version)
    {
        All = [.. collections];
        Version = version;
        _byId = new(StringComparer.Ordinal);
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var c in All)
        {
            _byId[c.Id] = c;
            _byName[c.Name] = c;
        }
    }

    public static CollectionSet Empty { get; } = new([], 0);

    public IReadOnlyList<Collection> All { get; }
    public long Version { get; }

    /// <summary>Finds by id first, then by name.</summary>
    public Collection? Find(string idOrName) =>
        _byId.TryGetValue(idOrName, out var c) ? c : _byName.GetValueOrDefault(idOrName);

    public Collection? FindById(string id) => _byId.GetValueOrDefault(id);

    public Collection? FindByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>A new snapshot with one collection added or replaced (matched by id).</summary>
    public CollectionSet With(Collection collection) =>
        new(All.Where(c => c.Id != collection.Id).Append(collection), Version + 1);

    public CollectionSet Without(string id) => new(All.Where(c => c.Id != id), Version + 1);
}
