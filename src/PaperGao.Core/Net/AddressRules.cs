using System.Net;
using System.Net.Sockets;

namespace PaperGao.Core.Net;

/// <summary>
/// Which addresses a server-side request must never reach unless allow-listed: loopback, private (RFC 1918, ULA),
/// link-local (169.254/16 holds the cloud metadata services), CGNAT, unspecified, multicast, broadcast and reserved
/// ranges. IPv4-mapped and IPv4-compatible IPv6 addresses are judged as the IPv4 address they carry.
/// </summary>
public static class AddressRules
{
    private static readonly IpRange[] BlockedV4 =
    [
        IpRange.Parse("0.0.0.0/8"), IpRange.Parse("10.0.0.0/8"), IpRange.Parse("100.64.0.0/10"), IpRange.Parse("127.0.0.0/8"),
        IpRange.Parse("169.254.0.0/16"), IpRange.Parse("172.16.0.0/12"), IpRange.Parse("192.0.0.0/24"), IpRange.Parse("192.0.2.0/24"),
        IpRange.Parse("192.168.0.0/16"), IpRange.Parse("198.18.0.0/15"), IpRange.Parse("198.51.100.0/24"), IpRange.Parse("203.0.113.0/24"),
        IpRange.Parse("224.0.0.0/4"), IpRange.Parse("240.0.0.0/4"),
    ];

    private static readonly IpRange[] BlockedV6 =
    [
        IpRange.Parse("::/128"), IpRange.Parse("::1/128"), IpRange.Parse("64:ff9b::/96"), IpRange.Parse("64:ff9b:1::/48"),
        IpRange.Parse("100::/64"), IpRange.Parse("2001:db8::/32"), IpRange.Parse("2002::/16"), IpRange.Parse("fc00::/7"),
        IpRange.Parse("fe80::/10"), IpRange.Parse("fec0::/10"), IpRange.Parse("ff00::/8"),
    ];

    /// <summary>True when a request on a user's behalf must not connect to this address.</summary>
    public static bool IsBlocked(IPAddress address)
    {
        var a = Normalize(address);
        return a.AddressFamily == AddressFamily.InterNetwork
            ? BlockedV4.Any(r => r.Contains(a))
            : BlockedV6.Any(r => r.Contains(a));
    }

    /// <summary>IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses as their IPv4 address.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && (b[12] | b[13]) != 0) return new IPAddress(b.AsSpan(12, 4));
        return address;
    }
}
