using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PaperGao.Core.Push;

/// <summary>
/// Message encryption for Web Push (RFC 8291) in the aes128gcm content coding (RFC 8188): an ephemeral P-256 key
/// agreement with the browser's key, HKDF-SHA-256 keyed by the subscription's auth secret, one AES-128-GCM record.
/// </summary>
public static class WebPushEncryption
{
    /// <summary>The record size written in the header; a single record holds the whole message.</summary>
    public const int RecordSize = 4096;

    /// <summary>salt (16) + record size (4) + key id length (1) + the sender's public key (65).</summary>
    public const int HeaderLength = 86;

    /// <summary>
    /// The largest plaintext: push services accept 4096 bytes of body (RFC 8030 §7.2 asks for at least that), which
    /// leaves this much after the header, the padding delimiter and the GCM tag.
    /// </summary>
    public const int MaxPlaintext = 4096 - HeaderLength - 1 - 16;

    private static readonly byte[] KeyInfoLabel = "WebPush: info\0"u8.ToArray();
    private static readonly byte[] CekInfo = "Content-Encoding: aes128gcm\0"u8.ToArray();
    private static readonly byte[] NonceInfo = "Content-Encoding: nonce\0"u8.ToArray();

    /// <param name="uaPublic">The subscription's p256dh key (65 bytes, uncompressed).</param>
    /// <param name="authSecret">The subscription's auth secret (16 bytes).</param>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] uaPublic, byte[] authSecret)
    {
        if (plaintext.Length > MaxPlaintext) throw new ArgumentException($"A Web Push payload holds at most {MaxPlaintext} bytes.", nameof(plaintext));
        var uaPoint = VapidKeys.ParsePoint(uaPublic) ?? throw new ArgumentException("Not a P-256 public key.", nameof(uaPublic));
        using var ua = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = uaPoint });
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var asPublic = VapidKeys.Point(ephemeral.ExportParameters(false).Q);
        var ecdhSecret = ephemeral.DeriveRawSecretAgreement(ua.PublicKey);

        // IKM = HKDF(salt = auth secret, ikm = ECDH secret, info = "WebPush: info\0" || ua_public || as_public, 32)
        var keyInfo = new byte[KeyInfoLabel.Length + 65 + 65];
        KeyInfoLabel.CopyTo(keyInfo, 0);
        uaPublic.CopyTo(keyInfo, KeyInfoLabel.Length);
        asPublic.CopyTo(keyInfo, KeyInfoLabel.Length + 65);
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, authSecret, keyInfo);

        var salt = RandomNumberGenerator.GetBytes(16);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, CekInfo);
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, NonceInfo);

        // The one (last) record: the plaintext, then the delimiter 0x02, no further padding.
        var record = new byte[plaintext.Length + 1];
        plaintext.CopyTo(record);
        record[^1] = 0x02;

        var body = new byte[HeaderLength + record.Length + 16];
        salt.CopyTo(body, 0);
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16, 4), RecordSize);
        body[20] = 65;
        asPublic.CopyTo(body, 21);
        using var gcm = new AesGcm(cek, 16);
        gcm.Encrypt(nonce, record, body.AsSpan(HeaderLength, record.Length), body.AsSpan(HeaderLength + record.Length, 16));
        CryptographicOperations.ZeroMemory(ecdhSecret);
        CryptographicOperations.ZeroMemory(ikm);
        CryptographicOperations.ZeroMemory(cek);
        return body;
    }
}
