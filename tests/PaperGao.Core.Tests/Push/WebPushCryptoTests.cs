using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Core.Push;

namespace PaperGao.Core.Tests.Push;

/// <summary>
/// RFC 8291 and RFC 8292 from the receiving side, written here from the RFCs (the API tests check the same messages
/// with npm http_ece and jws in tests/push-server).
/// </summary>
public sealed class WebPushCryptoTests
{
    [Fact]
    public void A_message_decrypts_with_the_subscription_keys_and_has_the_aes128gcm_header()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uaPublic = VapidKeys.Point(ua.ExportParameters(false).Q);
        var auth = RandomNumberGenerator.GetBytes(16);
        var text = "{\"title\":\"hi\",\"body\":\"é ✓\"}"u8.ToArray();

        var body = WebPushEncryption.Encrypt(text, uaPublic, auth);

        Assert.Equal(WebPushEncryption.HeaderLength + text.Length + 1 + 16, body.Length);
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4)));
        Assert.Equal(65, body[20]);
        var asPublic = body[21..86];
        Assert.Equal(0x04, asPublic[0]);

        // Receiver: ECDH with the sender's key from the header, then the same key schedule.
        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = asPublic[1..33], Y = asPublic[33..] } });
        var secret = ua.DeriveRawSecretAgreement(sender.PublicKey);
        var info = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(uaPublic).Concat(asPublic).ToArray();
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, auth, info);
        var salt = body[..16];
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        var cipher = body[86..^16];
        var plain = new byte[cipher.Length];
        using var gcm = new AesGcm(cek, 16);
        gcm.Decrypt(nonce, cipher, body[^16..], plain);
        Assert.Equal(0x02, plain[^1]); // the last record's delimiter
        Assert.Equal(text, plain[..^1]);

        // A fresh salt and key each time: the same text never gives the same bytes.
        Assert.NotEqual(body, WebPushEncryption.Encrypt(text, uaPublic, auth));
    }

    [Fact]
    public void A_payload_over_the_limit_or_a_key_off_the_curve_is_refused()
    {
        using var ua = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var uaPublic = VapidKeys.Point(ua.ExportParameters(false).Q);
        var auth = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(4096, WebPushEncryption.Encrypt(new byte[WebPushEncryption.MaxPlaintext], uaPublic, auth).Length);
        Assert.Throws<ArgumentException>(() => WebPushEncryption.Encrypt(new byte[WebPushEncryption.MaxPlaintext + 1], uaPublic, auth));
        var bad = (byte[])uaPublic.Clone();
        bad[40] ^= 0x55;
        Assert.Null(VapidKeys.ParsePoint(bad));
        Assert.Null(VapidKeys.ParsePoint(uaPublic[..64]));
    }

    [Fact]
    public void The_vapid_token_is_an_es256_jwt_for_the_origin_that_the_public_key_verifies()
    {
        var keys = VapidKeys.Generate();
        Assert.Equal(65, Base64Url.TryDecode(keys.PublicKey)!.Length);
        Assert.Equal(32, Base64Url.TryDecode(keys.PrivateKey)!.Length);
        Assert.DoesNotContain(keys.PrivateKey, keys.ToString(), StringComparison.Ordinal);
        using var signer = keys.TryCreateSigner()!;
        var now = DateTimeOffset.UtcNow;
        var audience = VapidToken.Audience(new Uri("https://push.example.test:8443/wpush/v2/abc?x=1"));
        Assert.Equal("https://push.example.test:8443", audience);
        Assert.Equal("https://fcm.example.test", VapidToken.Audience(new Uri("https://fcm.example.test:443/send/x")));
        var jwt = VapidToken.Create(signer, audience, "mailto:ops@example.test", now);

        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("ES256", JsonNode.Parse(Base64Url.TryDecode(parts[0])!)!["alg"]!.GetValue<string>());
        var claims = JsonNode.Parse(Base64Url.TryDecode(parts[1])!)!;
        Assert.Equal(audience, claims["aud"]!.GetValue<string>());
        Assert.Equal("mailto:ops@example.test", claims["sub"]!.GetValue<string>());
        var exp = claims["exp"]!.GetValue<long>();
        Assert.InRange(exp, now.ToUnixTimeSeconds() + 3600, now.ToUnixTimeSeconds() + 24 * 3600);

        var q = VapidKeys.ParsePoint(Base64Url.TryDecode(keys.PublicKey))!.Value;
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = q });
        var signature = Base64Url.TryDecode(parts[2])!;
        Assert.Equal(64, signature.Length);
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256));
        Assert.StartsWith("vapid t=" + jwt + ", k=" + keys.PublicKey, VapidToken.Header(jwt, keys.PublicKey));
    }

    [Fact]
    public void Mismatched_or_malformed_vapid_keys_make_no_signer()
    {
        var a = VapidKeys.Generate();
        var b = VapidKeys.Generate();
        Assert.Null(new VapidKeys(a.PublicKey, b.PrivateKey).TryCreateSigner());
        Assert.Null(new VapidKeys(a.PublicKey, "not base64!").TryCreateSigner());
        Assert.Null(new VapidKeys("", a.PrivateKey).TryCreateSigner());
        Assert.Null(new VapidKeys(a.PublicKey, a.PrivateKey[..20]).TryCreateSigner());
        using var ok = a.TryCreateSigner();
        Assert.NotNull(ok);
    }

    [Fact]
    public void Push_settings_are_validated_and_the_private_key_is_never_printed()
    {
        var keys = VapidKeys.Generate();
        var ok = new JsonObject { ["enabled"] = true, ["vapidPublicKey"] = keys.PublicKey, ["vapidPrivateKey"] = keys.PrivateKey, ["subject"] = "mailto:ops@example.test", ["maxRecipients"] = 10 };
        Assert.True(PushSettings.Validate(ok).IsEmpty);
        var settings = PushSettings.From(ok);
        Assert.Equal(10, settings.MaxRecipients);
        Assert.DoesNotContain(keys.PrivateKey, settings.ToString(), StringComparison.Ordinal);

        Assert.True(PushSettings.Validate(new JsonObject { ["enabled"] = true, ["subject"] = "mailto:ops@example.test" }).Contains("vapidPublicKey"));
        Assert.True(PushSettings.Validate(new JsonObject { ["enabled"] = true, ["vapidPublicKey"] = keys.PublicKey, ["vapidPrivateKey"] = keys.PrivateKey }).Contains("subject"));
        Assert.True(PushSettings.Validate(new JsonObject { ["subject"] = "http://example.test" }).Contains("subject"));
        Assert.True(PushSettings.Validate(new JsonObject { ["subject"] = "mailto:nobody" }).Contains("subject"));
        Assert.True(PushSettings.Validate(new JsonObject { ["subject"] = "https://example.test/contact" }).IsEmpty);
        Assert.True(PushSettings.Validate(new JsonObject { ["maxRecipients"] = 0 }).Contains("maxRecipients"));
        Assert.True(PushSettings.Validate(new JsonObject { ["maxRecipients"] = 2.5 }).Contains("maxRecipients"));
        Assert.True(PushSettings.Validate(new JsonObject { ["enabled"] = "yes" }).Contains("enabled"));
        Assert.True(PushSettings.Validate(new JsonObject { ["vapidPublicKey"] = keys.PublicKey, ["vapidPrivateKey"] = VapidKeys.Generate().PrivateKey }).Contains("vapidPublicKey"));
    }
}
