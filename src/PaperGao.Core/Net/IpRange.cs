using System.Net;
using System.Net.Sockets;

namespace PaperGao.Core.Net;

/// <summary>An address block in CIDR notation (a bare address is a /32 or /128).</summary>
public readonly record struct IpRange(IPAddress Network, int PrefixLength)
{
    public static IpRange Parse(string text) =>
        TryParse(text, out var range) ? range : throw new FormatException($"'{text}' is not an IP address or CIDR block.");

    public static bool TryParse(string text, out IpRange range)
    {
        range = default;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > max))
            return false;
        range = new IpRange(address, prefix);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = Network.GetAddressBytes();
        var bits = PrefixLength;
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }
}
