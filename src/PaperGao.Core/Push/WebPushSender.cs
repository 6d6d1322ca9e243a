using System.Net.Http.Headers;
using System.Security.Cryptography;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// Delivers one encrypted message to one Web Push subscription (RFC 8030 §5) through the guarded outbound client and
/// classifies the answer. The VAPID token is made once per push service origin and reused for the whole send.
/// Redirects are not followed (push services do not redirect; a 3xx counts as rejected).
/// </summary>
public sealed class WebPushSender(ECDsa signer, string publicKey, string subject, HttpClient? client = null)
{
    private readonly HttpClient _client = client ?? OutboundHttp.For([], followRedirects: false);

    private readonly Dictionary<string, string> _authorization = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

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
        try
        {
            using var response = await OutboundHttp.SendAsync(request, ct, _client);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return new PushOutcome(PushOutcomeKind.Accepted, status);
            if (status is 404 or 410) return new PushOutcome(PushOutcomeKind.Gone, status);
            if (status == 429 || status >= 500) return new PushOutcome(PushOutcomeKind.Retry, status, RetryAfter(response));
            return new PushOutcome(PushOutcomeKind.Rejected, status);
        }
        catch (OutboundException)
        {
            return new PushOutcome(PushOutcomeKind.Rejected, 0);
        }
        catch (HttpRequestException)
        {
            return new PushOutcome(PushOutcomeKind.Retry, 0);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PushOutcome(PushOutcomeKind.Retry, 0); // the client's timeout
        }
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

    /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var h = response.Headers.RetryAfter;
        if (h?.Delta is { } delta) return delta;
        if (h?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }
}
