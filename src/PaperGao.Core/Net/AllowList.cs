using System.Net;

namespace PaperGao.Core.Net;

/// <summary>
/// Hosts an outbound request may reach although their addresses are blocked: host names (exact, case-insensitive;
/// every address they resolve to is then allowed), IP addresses and CIDR blocks.
/// </summary>
public sealed class AllowList
{
    public static readonly AllowList Empty = new([]);

    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IpRange> _ranges = [];

    public AllowList(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            var entry = raw.Trim().Trim('[', ']');
            if (entry.Length == 0) continue;
            if (IpRange.TryParse(entry, out var range)) _ranges.Add(range);
            else _names.Add(entry.TrimEnd('.'));
        }
        Key = string.Join(",", _names.Order(StringComparer.OrdinalIgnoreCase).Concat(_ranges.Select(r => $"{r.Network}/{r.PrefixLength}").Order(StringComparer.Ordinal)));
    }

    /// <summary>A canonical text of the entries (equal lists give equal keys).</summary>
    public string Key { get; }

    public bool IsEmpty => _names.Count == 0 && _ranges.Count == 0;

    public bool AllowsHost(string host) => _names.Contains(host.Trim('[', ']').TrimEnd('.'));

    public bool AllowsAddress(IPAddress address)
    {
        var a = AddressRules.Normalize(address);
        return _ranges.Any(r => r.Contains(a) || r.Contains(address));
    }
}
