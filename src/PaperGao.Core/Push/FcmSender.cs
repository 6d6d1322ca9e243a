using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// Delivers to FCM devices through the HTTP v1 API: POST {endpoint}/v1/projects/{project}/messages:send with a
/// bearer token from <see cref="FcmAccessToken"/>. 404 or the error code UNREGISTERED removes the device; 429 and 5xx
/// are retried (Retry-After honoured); a 401 drops the cached token and is retried with a new one. A refused token
/// exchange is remembered for the rest of the send (<see cref="Problem"/>), so a bad key costs one exchange, not one
/// per device.
/// </summary>
public sealed class FcmSender(FcmServiceAccount account, string endpoint, string tokenUrl, HttpClient? client = null) : IPushSender
{
    private readonly HttpClient _client = client ?? OutboundHttp.For([], followRedirects: false);
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private volatile string? _problem;

    public string? Problem => _problem;

    public async Task<PushOutcome> SendAsync(PushDevice device, PushMessage message, CancellationToken ct)
    {
        if (_problem is not null) return new PushOutcome(PushOutcomeKind.Rejected, 0);
        FcmAccessToken.Result token;
        await _tokenGate.WaitAsync(ct);
        try
        {
            if (_problem is not null) return new PushOutcome(PushOutcomeKind.Rejected, 0);
            token = await FcmAccessToken.GetAsync(account, tokenUrl, _client, ct);
            if (token.Token is null && !token.Retryable)
            {
                _problem = "FCM: " + token.Error;
                return new PushOutcome(PushOutcomeKind.Rejected, 0);
            }
        }
        finally { _tokenGate.Release(); }
        if (token.Token is null) return new PushOutcome(PushOutcomeKind.Retry, 0, token.RetryAfter);

        var url = $"{endpoint}/v1/projects/{Uri.EscapeDataString(account.ProjectId)}/messages:send";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Body(device.Token, message).ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return await PushHttp.SendAsync(_client, request, async response =>
        {
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return new PushOutcome(PushOutcomeKind.Accepted, status);
            if (status == 429 || status >= 500) return new PushOutcome(PushOutcomeKind.Retry, status, PushHttp.RetryAfter(response));
            if (status == 401)
            {
                FcmAccessToken.Forget(account, tokenUrl, token.Token);
                return new PushOutcome(PushOutcomeKind.Retry, status, TimeSpan.Zero);
            }
            var code = ErrorCode(await PushHttp.ReadTextAsync(response, ct));
            if (status == 404 || code == "UNREGISTERED") return new PushOutcome(PushOutcomeKind.Gone, status);
            if (code is "SENDER_ID_MISMATCH" or "THIRD_PARTY_AUTH_ERROR") _problem = $"FCM answered {status} {code}: check the service account and the app's sender.";
            return new PushOutcome(PushOutcomeKind.Rejected, status);
        }, ct);
    }

    /// <summary>The HTTP v1 message: the notification, data as strings (FCM's rule), Android and APNs options for TTL, priority, collapse key, badge and sound.</summary>
    public static JsonObject Body(string token, PushMessage m)
    {
        var data = new JsonObject();
        if (m.Data is not null)
        {
            foreach (var (k, v) in m.Data) data[k] = v is JsonValue s && s.TryGetValue<string>(out var text) ? text : v?.ToJsonString() ?? "null";
        }
        var androidNotification = new JsonObject();
        if (m.Sound.Length > 0) androidNotification["sound"] = m.Sound;
        if (m.Badge is { } badge) androidNotification["notification_count"] = badge;
        var android = new JsonObject
        {
            ["priority"] = m.IsHighPriority ? "HIGH" : "NORMAL",
            ["ttl"] = m.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s",
        };
        if (m.CollapseKey.Length > 0) android["collapse_key"] = m.CollapseKey;
        if (androidNotification.Count > 0) android["notification"] = androidNotification;
        var aps = new JsonObject();
        if (m.Badge is { } b) aps["badge"] = b;
        if (m.Sound.Length > 0) aps["sound"] = m.Sound;
        var apnsHeaders = new JsonObject { ["apns-priority"] = m.IsHighPriority ? "10" : "5" };
        if (m.CollapseKey.Length > 0) apnsHeaders["apns-collapse-id"] = m.CollapseKey;
        var message = new JsonObject
        {
            ["token"] = token,
            ["notification"] = new JsonObject { ["title"] = m.Title, ["body"] = m.Body },
            ["android"] = android,
            ["apns"] = new JsonObject { ["headers"] = apnsHeaders, ["payload"] = new JsonObject { ["aps"] = aps } },
        };
        if (data.Count > 0) message["data"] = data;
        return new JsonObject { ["message"] = message };
    }

    /// <summary>The FcmError code in an error answer's details (e.g. UNREGISTERED), else the error status; "" when none.</summary>
    public static string ErrorCode(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (!doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object) return "";
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var d in details.EnumerateArray())
                {
                    if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("errorCode", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString()!;
                }
            }
            return error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        }
        catch (JsonException) { return ""; }
    }
}
