using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// The generic "fields" response picker (protocol.md §1.4): comma-separated dotted paths, "*" for every key at a
/// depth, optional ":excerpt(max, withEllipsis)" modifier; list envelopes are picked per item.
/// </summary>
public static partial class FieldsPicker
{
    private sealed class Node
    {
        public Dictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
        public (int Max, bool Ellipsis)? Excerpt { get; set; }
    }

    [GeneratedRegex(@"^(?<path>[^:]+)(?::excerpt\(\s*(?<max>\d+)\s*(?:,\s*(?<ell>true|false|1|0|t|f))?\s*\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PathRegex();

    public static JsonNode? Apply(JsonNode? root, string fields)
    {
        var tree = Parse(fields);
        if (tree.Children.Count == 0) return root;
        if (root is JsonObject o && o["items"] is JsonArray items && o.ContainsKey("page") && o.ContainsKey("perPage"))
        {
            for (var i = 0; i < items.Count; i++) items[i] = Pick(items[i], tree);
            return o;
        }
        if (root is JsonArray arr)
        {
            for (var i = 0; i < arr.Count; i++) arr[i] = Pick(arr[i], tree);
            return arr;
        }
        return Pick(root, tree);
    }

    private static Node Parse(string fields)
    {
        var root = new Node();
        foreach (var raw in SplitTopLevel(fields))
        {
            var m = PathRegex().Match(raw.Trim());
            if (!m.Success) continue;
            var node = root;
            foreach (var part in m.Groups["path"].Value.Trim().Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!node.Children.TryGetValue(part, out var child)) node.Children[part] = child = new Node();
                node = child;
            }
            if (m.Groups["max"].Success)
            {
                var ell = m.Groups["ell"].Value.ToLowerInvariant() is "true" or "1" or "t";
                node.Excerpt = (int.Parse(m.Groups["max"].Value, System.Globalization.CultureInfo.InvariantCulture), ell);
            }
        }
        return root;
    }

    private static IEnumerable<string> SplitTopLevel(string s)
    {
        var depth = 0;
        var sb = new StringBuilder();
        foreach (var ch in s)
        {
            if (ch == '(') depth++;
            if (ch == ')') depth--;
            if (ch == ',' && depth == 0) { yield return sb.ToString(); sb.Clear(); continue; }
            sb.Append(ch);
        }
        if (sb.Length > 0) yield return sb.ToString();
    }

    private static JsonNode? Pick(JsonNode? value, Node tree)
    {
        if (tree.Children.Count == 0)
        {
            if (tree.Excerpt is { } ex && value is JsonValue v && v.TryGetValue<string>(out var s)) return Excerpt(s, ex.Max, ex.Ellipsis);
            return value?.DeepClone();
        }
        if (value is JsonArray arr) return new JsonArray([.. arr.Select(x => Pick(x, tree))]);
        if (value is not JsonObject obj) return value?.DeepClone();
        var result = new JsonObject();
        tree.Children.TryGetValue("*", out var star);
        foreach (var (key, child) in obj)
        {
            if (tree.Children.TryGetValue(key, out var sub)) result[key] = Pick(child, sub);
            else if (star is not null) result[key] = Pick(child, star);
        }
        return result;
    }

    private static string Excerpt(string html, int max, bool ellipsis)
    {
        var text = WhitespaceRegex().Replace(TagRegex().Replace(html, " "), " ").Trim();
        if (text.Length <= max) return text;
        return text[..max].TrimEnd() + (ellipsis ? "..." : "");
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
