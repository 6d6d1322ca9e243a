using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>
/// A small generated badge per provider (a rounded square in a colour derived from the name, with its initial), so
/// clients that draw the "logo" of auth-methods get an image without PaperGao shipping third-party artwork.
/// </summary>
public static class ProviderLogo
{
    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);

    public static string For(string displayName) => Cache.GetOrAdd(displayName, Build);

    private static string Build(string displayName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(displayName));
        var colour = $"#{hash[0] & 0x7f:x2}{hash[1] & 0x7f:x2}{hash[2] & 0x7f:x2}";
        var initial = displayName.Length > 0 && char.IsAsciiLetterOrDigit(displayName[0]) ? char.ToUpperInvariant(displayName[0]).ToString() : "?";
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\" width=\"32\" height=\"32\">"
            + $"<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"{colour}\"/>"
            + $"<text x=\"16\" y=\"22\" font-family=\"sans-serif\" font-size=\"17\" font-weight=\"700\" text-anchor=\"middle\" fill=\"#fff\">{initial}</text></svg>";
    }
}
