using System.Text;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// Maps collection and field names to GraphQL names (docs/graphql.md, "Names"). A GraphQL name matches
/// [_A-Za-z][_0-9A-Za-z]* and must not start with "__". Collection and field names are mostly valid already; otherwise:
/// every other character becomes "_", a leading digit gets a "_" prefix, a leading "__" gets an "x" prefix.
/// A name that is still taken in its scope (a type name, or a field of one type) gets "_2", "_3", ... in definition order.
/// </summary>
public static class GraphQLNames
{
    public static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length + 1);
        foreach (var ch in name) sb.Append(ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' ? ch : '_');
        if (sb.Length == 0 || char.IsAsciiDigit(sb[0])) sb.Insert(0, '_');
        if (sb.Length >= 2 && sb[0] == '_' && sb[1] == '_') sb.Insert(0, 'x');
        return sb.ToString();
    }

    /// <summary>The collection name with its first letter upper-cased (posts -> Posts), sanitized.</summary>
    public static string TypeName(string collectionName)
    {
        var s = Sanitize(collectionName);
        return char.IsAsciiLetterLower(s[0]) ? char.ToUpperInvariant(s[0]) + s[1..] : s;
    }
}

/// <summary>Hands out unique names within one scope (the schema's types, or the fields of one type).</summary>
public sealed class NameScope
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public NameScope(params string[] reserved)
    {
        foreach (var r in reserved) _taken.Add(r);
    }

    public string Claim(string wanted)
    {
        if (_taken.Add(wanted)) return wanted;
        for (var i = 2; ; i++)
        {
            var candidate = wanted + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_taken.Add(candidate)) return candidate;
        }
    }
}
