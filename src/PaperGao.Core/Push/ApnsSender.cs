using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// Delivers to APNs devices: POST {base}/3/device/{token} over HTTP/2 (required by Apple) with the provider token,
/// apns-topic, apns-push-type "alert", apns-priority, apns-expiration and apns-collapse-id. 410 (Unregistered) and
/// 400 BadDeviceToken remove the device; 429 and 5xx are retried; 403 ExpiredProviderToken signs a new token and
/// retries; other 403s (a wrong key, key id or team) are reported once in the send's log (<see cref="Problem"/>).
/// </summary>
public sealed class ApnsSender(ApnsKey key, ECDsa signer, string topic, string baseUrl, HttpClient? client = null) : IPushSender
{
    /// <summary>APNs' limit for a notification's JSON payload.</summary>
    public const int MaxPayloadBytes = 4096;

    private readonly HttpClient _client = client ?? OutboundHttp.For([], followRedirects: false);
    private volatile string? _problem;

    public string? Problem => _problem;

    public async Task<PushOutcome> SendAsync(PushDevice device, PushMessage message, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(Payload(message));
        if (body.Length > MaxPayloadBytes) return new PushOutcome(PushOutcomeKind.Rejected, 413);
        var token = ApnsProviderToken.Get(key, signer);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/3/device/{Uri.EscapeDataString(device.Token)}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("authorization", "bearer " + token);
        request.Headers.TryAddWithoutValidation("apns-topic", topic);
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-priority", message.IsHighPriority ? "10" : "5");
        var expiration = message.Ttl == 0 ? 0 : DateTimeOffset.UtcNow.AddSeconds(message.Ttl).ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation("apns-expiration", expiration.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.CollapseKey.Length > 0) request.Headers.TryAddWithoutValidation("apns-collapse-id", message.CollapseKey);
        return await PushHttp.SendAsync(_client, request, async response =>
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return new PushOutcome(PushOutcomeKind.Accepted, status);
            if (status == 429 || status >= 500) return new PushOutcome(PushOutcomeKind.Retry, status, PushHttp.RetryAfter(response));
            var reason = Reason(await PushHttp.ReadTextAsync(response, ct));
            if (status == 410 || reason is "Unregistered" or "BadDeviceToken") return new PushOutcome(PushOutcomeKind.Gone, status);
            if (status == 403 && reason == "ExpiredProviderToken")
            {
                ApnsProviderToken.Forget(key, token);
                return new PushOutcome(PushOutcomeKind.Retry, status, TimeSpan.Zero);
            }
            if (status == 403 || reason is "TopicDisallowed" or "BadTopic" or "DeviceTokenNotForTopic")
                _problem = $"APNs answered {status} {reason}: check the key id, team id, .p8 key and topic (and sandbox or production).";
            return new PushOutcome(PushOutcomeKind.Rejected, status);
        }, ct);
    }

    /// <summary>{aps: {alert: {title, body}, badge?, sound?}} and the send's data as the payload's other top-level keys.</summary>
    public static JsonObject Payload(PushMessage m)
    {
        var aps = new JsonObject { ["alert"] = new JsonObject { ["title"] = m.Title, ["body"] = m.Body } };
        if (m.Badge is { } badge) aps["badge"] = badge;
        if (m.Sound.Length > 0) aps["sound"] = m.Sound;
        var payload = new JsonObject();
        if (m.Data is not null)
        {
            foreach (var (k, v) in m.Data)
            {
                if (k != "aps") payload[k] = v?.DeepClone();
            }
        }
        payload["aps"] = aps;
        return payload;
    }

    /// <summary>The "reason" of an APNs error answer, or "".</summary>
    public static string Reason(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
        }
        catch (JsonException) { return ""; }
    }
}
