using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Collections;

/// <summary>
/// A collection: a real table (or a view) with typed fields, rules and indexes.
/// Instances held by a <see cref="CollectionSet"/> are treated as immutable; edits work on a <see cref="Clone"/>.
/// </summary>
public sealed class Collection
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public CollectionType Type { get; set; } = CollectionType.Base;
    public bool System { get; set; }
    public string? ListRule { get; set; }
    public string? ViewRule { get; set; }
    public string? CreateRule { get; set; }
    public string? UpdateRule { get; set; }
    public string? DeleteRule { get; set; }
    public List<Field> Fields { get; set; } = [];
    public List<string> Indexes { get; set; } = [];
    public string Created { get; set; } = "";
    public string Updated { get; set; } = "";

    /// <summary>View collections only: the SELECT the view is made of.</summary>
    public string? ViewQuery { get; set; }

    /// <summary>Auth collections only.</summary>
    public AuthOptions? Auth { get; set; }

    public bool IsAuth => Type == CollectionType.Auth;
    public bool IsView => Type == CollectionType.View;

    public Field? FindField(string name)
    {
        foreach (var f in Fields)
        {
            if (string.Equals(f.Name, name, StringComparison.Ordinal)) return f;
        }
        return null;
    }

    public Field? FindFieldById(string id) => Fields.Find(f => f.Id == id);

    public Collection Clone()
    {
        var c = (Collection)MemberwiseClone();
        c.Fields = [.. Fields.Select(f => f.Clone())];
        c.Indexes = [.. Indexes];
        c.Auth = Auth?.Clone();
        return c;
    }
}
