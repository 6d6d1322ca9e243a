using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaperGao.Core.Push;

/// <summary>
/// The VAPID authorization of one push service origin (RFC 8292): an ES256 JWT {aud, exp, sub} signed with the
/// project's key, sent as "Authorization: vapid t=JWT, k=PUBLIC_KEY".
/// </summary>
public static class VapidToken
{
    /// <summary>How long a token is valid (the RFC allows at most 24 hours).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>The origin a push endpoint's token is addressed to: scheme://host[:port], the port only when not the default.</summary>
    public static string Audience(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Authority);

    public static string Create(ECDsa signer, string audience, string subject, DateTimeOffset now)
    {
        var header = Base64Url.Encode("""{"typ":"JWT","alg":"ES256"}"""u8);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("aud", audience);
            w.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            w.WriteString("sub", subject);
            w.WriteEndObject();
        }
        var signingInput = header + "." + Base64Url.Encode(ms.ToArray());
        // .NET signs in the IEEE P1363 form (r || s, 64 bytes), which is exactly JWS's ES256 signature encoding.
        var signature = signer.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + Base64Url.Encode(signature);
    }

    public static string Header(string token, string publicKey) => $"vapid t={token}, k={publicKey}";
}
