using System.Net.Http.Headers;
using System.Security.Cryptography;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// Delivers one encrypted message to one Web Push subscription (RFC 8030 §5) through the guarded outbound client and
/// classifies the answer. The VAPID token is made once per push service origin and reused for the whole send.
/// Redirects are not followed (push services do not redirect; a 3xx counts as rejected).
/// </summary>
public sealed class WebPushSender(ECDsa signer, string publicKey, string subject, HttpClient? client = null) : IPushSender
{
    private readonly HttpClient _client = client ?? OutboundHttp.For([], followRedirects: false);

    private readonly Dictionary<string, string> _authorization = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private (PushMessage Message, byte[] Payload)? _payload;

    public string? Problem => null;

    /// <summary>Encrypts <paramref name="message"/>'s payload for the device (the payload bytes are made once per message).</summary>
    public Task<PushOutcome> SendAsync(PushDevice device, PushMessage message, CancellationToken ct)
    {
        byte[] payload;
        lock (_lock)
        {
            if (_payload is not { } cached || !ReferenceEquals(cached.Message, message)) _payload = cached = (message, message.Payload());
            payload = cached.Payload;
        }
        return SendAsync(device, message, payload, ct);
    }

    public async Task<PushOutcome> SendAsync(PushDevice device, PushMessage message, byte[] payload, CancellationToken ct)
    {
        if (!Uri.TryCreate(device.Endpoint, UriKind.Absolute, out var endpoint)) return new PushOutcome(PushOutcomeKind.Gone, 0);
        var uaPublic = Base64Url.TryDecode(device.P256dh);
        var auth = Base64Url.TryDecode(device.Auth);
        if (uaPublic is null || auth is not { Length: 16 }) return new PushOutcome(PushOutcomeKind.Gone, 0);
        byte[] body;
        try { body = WebPushEncryption.Encrypt(payload, uaPublic, auth); }
        catch (ArgumentException) { return new PushOutcome(PushOutcomeKind.Gone, 0); } // not a P-256 key: the subscription is unusable
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        request.Headers.TryAddWithoutValidation("TTL", message.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Urgency", message.Urgency);
        if (message.CollapseKey.Length > 0) request.Headers.TryAddWithoutValidation("Topic", message.CollapseKey);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(endpoint));
        return await PushHttp.SendAsync(_client, request, response =>
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return Task.FromResult(new PushOutcome(PushOutcomeKind.Accepted, status));
            if (status is 404 or 410) return Task.FromResult(new PushOutcome(PushOutcomeKind.Gone, status));
            if (status == 429 || status >= 500) return Task.FromResult(new PushOutcome(PushOutcomeKind.Retry, status, PushHttp.RetryAfter(response)));
            return Task.FromResult(new PushOutcome(PushOutcomeKind.Rejected, status));
        }, ct);
    }

    private string Authorization(Uri endpoint)
    {
        var audience = VapidToken.Audience(endpoint);
        lock (_lock)
        {
            if (_authorization.TryGetValue(audience, out var header)) return header;
            header = VapidToken.Header(VapidToken.Create(signer, audience, subject, DateTimeOffset.UtcNow), publicKey);
            _authorization[audience] = header;
            return header;
        }
    }
}
