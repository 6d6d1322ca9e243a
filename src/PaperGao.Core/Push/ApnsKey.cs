using System.Security.Cryptography;

namespace PaperGao.Core.Push;

/// <summary>
/// An APNs provider-token key: the .p8 file Apple issues (a P-256 private key in PKCS#8 PEM), its 10-character key id
/// and the 10-character team id of the developer account.
/// </summary>
public sealed record ApnsKey(string KeyId, string TeamId, string PrivateKeyPem)
{
    /// <summary>The signing key, or null when the PEM is not a P-256 private key.</summary>
    public ECDsa? TryCreateSigner()
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(PrivateKeyPem);
            var p = ec.ExportParameters(includePrivateParameters: true);
            if (p.Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value || p.Curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "prime256v1") return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // not a key
        }
        ec.Dispose();
        return null;
    }

    /// <summary>Apple's ids: exactly 10 upper-case letters and digits.</summary>
    public static bool IsId(string id) => id.Length == 10 && id.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"ApnsKey {{ KeyId = {KeyId}, TeamId = {TeamId} }}";
}
