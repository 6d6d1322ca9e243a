using System.Globalization;
using System.Text;
using PaperGao.Core.Collections;

namespace PaperGao.Core.TypeGen;

/// <summary>
/// Type names for collections, unique per file: "blog_posts" → "BlogPosts", "_superusers" → "Superusers"
/// (a second collection mapping to the same name gets a number: "Superusers2"); a leading digit gets "C".
/// </summary>
public sealed class TypeGenNames
{
    private readonly Dictionary<string, string> _byCollectionId = new(StringComparer.Ordinal);

    public TypeGenNames(IReadOnlyList<Collection> sorted, IEnumerable<string> reserved)
    {
        var used = new HashSet<string>(reserved, StringComparer.OrdinalIgnoreCase);
        // Non-system collections first, so "users" keeps "Users" when a system "_users" exists.
        foreach (var c in sorted.OrderBy(c => c.Name.StartsWith('_') ? 1 : 0).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var name = Pascal(c.Name);
            if (name.Length == 0) name = "Collection";
            var candidate = name;
            for (var i = 2; !used.Add(candidate); i++) candidate = name + i.ToString(CultureInfo.InvariantCulture);
            _byCollectionId[c.Id] = candidate;
        }
    }

    public string Of(Collection c) => _byCollectionId[c.Id];

    /// <summary>"blog_posts" → "BlogPosts", "viewCount" → "ViewCount", "2fa" → "C2fa".</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder(name.Length);
        var upper = true;
        foreach (var ch in name)
        {
            if (!char.IsAsciiLetterOrDigit(ch)) { upper = true; continue; }
            sb.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }
        if (sb.Length > 0 && char.IsAsciiDigit(sb[0])) sb.Insert(0, 'C');
        return sb.ToString();
    }

    /// <summary>A select value as a member name: "in-progress" → "InProgress", "" → "Empty", "1" → "V1".</summary>
    public static string Member(string value)
    {
        var p = Pascal(value);
        if (p.Length == 0) return "Empty";
        return p[0] == 'C' && value.Length > 0 && char.IsAsciiDigit(value[0]) ? "V" + p[1..] : p;
    }
}
