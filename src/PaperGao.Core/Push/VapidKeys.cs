using System.Security.Cryptography;

namespace PaperGao.Core.Push;

/// <summary>
/// A project's VAPID key pair (RFC 8292) on P-256, in the encodings browsers and push libraries use: the public key is
/// the 65-byte uncompressed point, the private key the 32-byte scalar, both unpadded base64url.
/// </summary>
public sealed record VapidKeys(string PublicKey, string PrivateKey)
{
    public static VapidKeys Generate()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        return new VapidKeys(Base64Url.Encode(Point(p.Q)), Base64Url.Encode(Pad(p.D!)));
    }

    /// <summary>The 65-byte uncompressed encoding (0x04 || X || Y) of a point.</summary>
    public static byte[] Point(ECPoint q)
    {
        var bytes = new byte[65];
        bytes[0] = 0x04;
        Pad(q.X!).CopyTo(bytes, 1);
        Pad(q.Y!).CopyTo(bytes, 33);
        return bytes;
    }

    /// <summary>A P-256 point from its uncompressed encoding, or null when it is not one (wrong length, prefix, or off the curve).</summary>
    public static ECPoint? ParsePoint(byte[]? bytes)
    {
        if (bytes is not { Length: 65 } || bytes[0] != 0x04) return null;
        var q = new ECPoint { X = bytes[1..33], Y = bytes[33..] };
        try
        {
            using var ec = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q });
            return q;
        }
        catch (CryptographicException) { return null; }
    }

    /// <summary>The signing key, or null when the two halves are malformed or do not belong together.</summary>
    public ECDsa? TryCreateSigner()
    {
        var q = ParsePoint(Base64Url.TryDecode(PublicKey));
        var d = Base64Url.TryDecode(PrivateKey);
        if (q is null || d is not { Length: 32 }) return null;
        ECDsa? ec = null;
        try
        {
            ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q.Value, D = d });
            // A mismatched pair may import on some platforms: prove it by a signature the public half verifies.
            using var pub = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q.Value });
            var probe = "papergao vapid key check"u8;
            if (!pub.VerifyData(probe, ec.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256))
            {
                ec.Dispose();
                return null;
            }
            return ec;
        }
        catch (CryptographicException)
        {
            ec?.Dispose();
            return null;
        }
    }

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"VapidKeys {{ PublicKey = {PublicKey} }}";

    private static byte[] Pad(byte[] value)
    {
        if (value.Length == 32) return value;
        var padded = new byte[32];
        value.AsSpan(Math.Max(0, value.Length - 32)).CopyTo(padded.AsSpan(Math.Max(0, 32 - value.Length)));
        return padded;
    }
}
