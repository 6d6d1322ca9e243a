namespace PaperGao.Functions.Routing;

/// <summary>
/// A routerAdd path in Go's ServeMux style, as PocketBase uses it: "/api/hello/{name}" ({name} is one segment),
/// "/files/{path...}" (the rest), "/exact/{$}" (nothing more), a trailing "/" matches the whole subtree.
/// </summary>
public sealed class RoutePattern
{
    private readonly string[] _segments;
    private readonly bool _subtree;
    private readonly bool _exactEnd;

    public RoutePattern(string pattern)
    {
        Text = pattern;
        var p = pattern.TrimStart('/');
        _exactEnd = p.EndsWith("{$}", StringComparison.Ordinal);
        if (_exactEnd) p = p[..^3];
        _subtree = !_exactEnd && p.Length > 0 && p.EndsWith('/');
        _segments = p.TrimEnd('/').Length == 0 ? [] : p.TrimEnd('/').Split('/');
        Specificity = _segments.Count(s => !s.StartsWith('{')) * 4 + (_subtree ? 0 : 2) + (_segments.Any(s => s.EndsWith("...}", StringComparison.Ordinal)) ? 0 : 1);
    }

    public string Text { get; }

    /// <summary>Higher wins when several patterns match (literal segments first).</summary>
    public int Specificity { get; }

    public bool TryMatch(string path, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parts = path.TrimStart('/').Split('/');
        if (parts.Length == 1 && parts[0].Length == 0) parts = [];
        var trailingSlash = path.Length > 1 && path.EndsWith('/');
        if (trailingSlash) parts = parts[..^1];
        for (var i = 0; i < _segments.Length; i++)
        {
            var seg = _segments[i];
            if (seg.StartsWith('{') && seg.EndsWith("...}", StringComparison.Ordinal))
            {
                values[seg[1..^4]] = string.Join('/', parts.Skip(i).Select(Uri.UnescapeDataString)) + (trailingSlash ? "/" : "");
                return true;
            }
            if (i >= parts.Length) return false;
            if (seg.StartsWith('{') && seg.EndsWith('}'))
            {
                if (parts[i].Length == 0) return false;
                values[seg[1..^1]] = Uri.UnescapeDataString(parts[i]);
                continue;
            }
            if (!string.Equals(seg, parts[i], StringComparison.Ordinal)) return false;
        }
        if (parts.Length == _segments.Length) return !trailingSlash || _subtree || _exactEnd;
        return _subtree;
    }
}
