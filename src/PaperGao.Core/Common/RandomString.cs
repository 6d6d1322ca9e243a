using System.Security.Cryptography;

namespace PaperGao.Core.Common;

/// <summary>Cryptographically random strings.</summary>
public static class RandomString
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Mixed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>[a-z0-9]{length}: record ids, filename suffixes.</summary>
    public static string LowerAlphanumeric(int length) => RandomNumberGenerator.GetString(Lower, length);

    /// <summary>[a-zA-Z0-9]{length}: token keys, secrets, realtime client ids.</summary>
    public static string Alphanumeric(int length) => RandomNumberGenerator.GetString(Mixed, length);
}
