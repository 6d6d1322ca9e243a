using System.Security.Cryptography;
using System.Text;
using PaperGao.Core.Common;

namespace PaperGao.Core.ApiKeys;

/// <summary>
/// The key format: "pgk_" + 40 random characters, the first <see cref="IdLength"/> of which are the key's public id
/// (its row id, used for the lookup) and the rest the secret. Only the SHA-256 of the whole key is stored.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "pgk_";
    public const int IdLength = 15;
    public const int RandomLength = 40;

    public static (string Id, string Key) Generate()
    {
        var id = RandomString.LowerAlphanumeric(IdLength);
        return (id, Prefix + id + RandomString.Alphanumeric(RandomLength - IdLength));
    }

    public static bool LooksLikeKey(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The id part of a well-formed key, or null.</summary>
    public static string? IdOf(string key)
    {
        if (!LooksLikeKey(key) || key.Length != Prefix.Length + RandomLength) return null;
        foreach (var ch in key.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(ch)) return null;
        }
        return key.Substring(Prefix.Length, IdLength);
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Constant-time comparison of a presented key with a stored hash.</summary>
    public static bool Matches(string key, string storedHash)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        byte[] stored;
        try { stored = Convert.FromHexString(storedHash); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }
}
