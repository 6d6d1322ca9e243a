using System.Text;

namespace PaperGao.Core.Filter;

/// <summary>
/// The FROM items of one EXISTS subquery: the multi-valued sources (json_each, multi relations, back-relations,
/// @collection, the auth record) a filter needs. The shared scope is registered once per filter, keyed by path,
/// so that all conditions of the filter talk about the same joined row (as PocketBase's joins do); an isolated
/// scope is a fresh copy used for the "no value fails" half of the match-all operators.
/// </summary>
internal sealed class QueryScope(string aliasPrefix, bool isolated)
{
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly List<string> _joins = [];
    private int _counter;

    public bool Isolated { get; } = isolated;

    /// <summary>Grows every time an operand uses a source of this scope.</summary>
    public int Touches { get; private set; }

    /// <summary>Conditions that rows of this scope's sources must satisfy (listRule of related collections in client filters).</summary>
    public List<string> Guards { get; } = [];

    public bool IsEmpty => _joins.Count == 0;

    public void Touch() => Touches++;

    /// <summary>Returns the alias for a source key, adding the join clause (built from the new alias) the first time.</summary>
    public string GetOrAdd(string key, Func<string, string> joinClause, out bool added)
    {
        Touches++;
        if (_aliases.TryGetValue(key, out var alias)) { added = false; return alias; }
        alias = aliasPrefix + (++_counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _aliases[key] = alias;
        _joins.Add(joinClause(alias));
        added = true;
        return alias;
    }

    /// <summary>"(SELECT 1) AS one LEFT JOIN ..." — the dummy row keeps the LEFT JOIN semantics (an empty source yields one NULL row).</summary>
    public string From()
    {
        var sb = new StringBuilder("(SELECT 1 AS x) AS ").Append(aliasPrefix).Append('0');
        foreach (var j in _joins) sb.Append(' ').Append(j);
        return sb.ToString();
    }
}
