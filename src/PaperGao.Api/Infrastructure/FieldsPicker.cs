using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;

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

    [GeneratedRegex(@"^(?<path>[^:()]+)(?::(?<mod>[A-Za-z_]\w*)\((?<args>[^()]*)\))?$")]
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

    /// <summary>
    /// The requested paths. A malformed entry or modifier is a 400 (as PocketBase's picker errors are), never dropped
    /// silently: excerpt takes (max[, withEllipsis]) with max &gt; 0 (larger than any text means "all of it").
    /// </summary>
    private static Node Parse(string fields)
    {
        var root = new Node();
        foreach (var raw in SplitTopLevel(fields))
        {
            var entry = raw.Trim();
            if (entry.Length == 0) continue;
            var m = PathRegex().Match(entry);
            if (!m.Success) throw Invalid(entry, "expected path or path:modifier(args)");
            var node = root;
            foreach (var part in m.Groups["path"].Value.Trim().Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!node.Children.TryGetValue(part, out var child)) node.Children[part] = child = new Node();
                node = child;
            }
            if (!m.Groups["mod"].Success) continue;
            if (!m.Groups["mod"].Value.Equals("excerpt", StringComparison.Ordinal)) throw Invalid(entry, "unknown modifier");
            var args = m.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries);
            if (args.Length is 0 or > 2 || args[0].Length == 0) throw Invalid(entry, "expected excerpt(max, withEllipsis?)");
            if (!long.TryParse(args[0], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var max))
                max = args[0].Length > 0 && args[0].TrimStart('+').All(char.IsAsciiDigit) ? long.MaxValue : 0; // beyond long: as large as it gets
            if (max <= 0) throw Invalid(entry, "max argument must be > 0");
            var ell = args.Length > 1 && args[1] is "1" or "t" or "T" or "true" or "TRUE" or "True";
            node.Excerpt = ((int)Math.Min(max, int.MaxValue), ell);
        }
        return root;
    }

    private static ApiError Invalid(string entry, string why) =>
        ApiError.BadRequest($"Invalid \"fields\" entry \"{(entry.Length > 60 ? entry[..60] + "..." : entry)}\": {why}.");

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
