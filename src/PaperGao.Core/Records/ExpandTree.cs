namespace PaperGao.Core.Records;

/// <summary>The expand parameter as a tree: "a,a.b,c" → {a:{b:{}}, c:{}}; at most 6 levels, spaces removed.</summary>
public sealed class ExpandTree
{
    public const int MaxDepth = 6;
    public const int MaxPaths = 50;

    public Dictionary<string, ExpandTree> Children { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty => Children.Count == 0;

    public static ExpandTree Parse(string? expand)
    {
        var root = new ExpandTree();
        if (string.IsNullOrWhiteSpace(expand)) return root;
        var paths = expand.Replace(" ", "", StringComparison.Ordinal).Split(',', StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in paths.Take(MaxPaths))
        {
            var node = root;
            foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries).Take(MaxDepth))
            {
                if (part.Length > 255) break;
                if (!node.Children.TryGetValue(part, out var child)) node.Children[part] = child = new ExpandTree();
                node = child;
            }
        }
        return root;
    }
}
