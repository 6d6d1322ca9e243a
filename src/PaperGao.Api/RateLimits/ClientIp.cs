using System.Net;
using Microsoft.AspNetCore.Http;
using PaperGao.Core.Settings;

namespace PaperGao.Api.RateLimits;

/// <summary>
/// The client IP used for rate limits: the socket's remote address, unless settings.trustedProxy lists a header AND
/// the connection comes from a trusted proxy (trustedProxy.ips, or loopback/private networks when that list is
/// empty). A spoofed X-Forwarded-For from anyone else changes nothing (security.md item 12).
/// </summary>
public static class ClientIp
{
    private static readonly IPNetwork[] PrivateNetworks =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("fc00::/7"),
    ];

    public static string Resolve(IPAddress? remote, IHeaderDictionary headers, RateLimitSettings settings)
    {
        if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
        if (settings.ProxyHeaders.Count > 0 && IsTrustedProxy(remote, settings))
        {
            foreach (var name in settings.ProxyHeaders)
            {
                var value = headers[name].ToString();
                if (value.Length == 0) continue;
                var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Length == 0) continue;
                var pick = settings.UseLeftmostIp ? parts[0] : parts[^1];
                if (IPAddress.TryParse(pick, out var ip)) return (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
            }
        }
        // No socket address: an in-process or Unix-socket connection (a local hop).
        return remote?.ToString() ?? "local";
    }

    public static bool IsTrustedProxy(IPAddress? remote, RateLimitSettings settings)
    {
        if (remote is null) return true;
        if (settings.TrustedProxyIps.Count > 0) return settings.TrustedProxyIps.Any(n => n.Contains(remote));
        return IPAddress.IsLoopback(remote) || PrivateNetworks.Any(n => n.Contains(remote));
    }

    public static bool IsExcluded(string ip, RateLimitSettings settings) =>
        settings.ExcludedIps.Count > 0 && IPAddress.TryParse(ip, out var a) && settings.ExcludedIps.Any(n => n.Contains(a));
}
