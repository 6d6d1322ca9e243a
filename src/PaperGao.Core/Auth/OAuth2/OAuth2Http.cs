using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>
/// The server-side calls to providers, through the guarded outbound client (Core/Net/OutboundHttp): a provider URL
/// (which a project superuser sets) cannot reach loopback, private, link-local or metadata addresses unless the server
/// operator allow-lists them (SSRF); no redirects followed; 30 s timeout; answers capped at 1 MiB; provider error
/// bodies never surface (security.md item 31).
/// </summary>
public static class OAuth2Http
{
    private const long MaxAnswerBytes = 1 << 20;

    private static HttpClient Client => Net.OutboundHttp.For([], followRedirects: false);

    /// <summary>An absolute http(s) URL without userinfo (https://good@evil) or fragment.</summary>
    public static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u)
        && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
        && u.UserInfo.Length == 0 && u.Fragment.Length == 0 && u.Host.Length > 0
        && !url.Contains('\\', StringComparison.Ordinal) && !url.Any(char.IsWhiteSpace);

    /// <summary>POSTs a form and parses a JSON object answer; null on any failure (the caller answers a fixed message).</summary>
    public static async Task<JsonObject?> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> form, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        return await SendAsync(req, ct);
    }

    public static async Task<JsonObject?> GetJsonAsync(string url, string? bearer, CancellationToken ct) =>
        await GetNodeAsync(url, bearer, ct) as JsonObject;

    public static async Task<JsonNode?> GetNodeAsync(string url, string? bearer, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(bearer)) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await SendNodeAsync(req, ct);
    }

    private static async Task<JsonObject?> SendAsync(HttpRequestMessage req, CancellationToken ct) => await SendNodeAsync(req, ct) as JsonObject;

    private static async Task<JsonNode?> SendNodeAsync(HttpRequestMessage req, CancellationToken ct)
    {
        if (!IsHttpUrl(req.RequestUri!.OriginalString)) return null;
        req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        req.Headers.UserAgent.Add(new ProductInfoHeaderValue("PaperGao", "1.0"));
        try
        {
            using var res = await Net.OutboundHttp.SendAsync(req, ct, Client);
            if (!res.IsSuccessStatusCode) return null;
            return JsonNode.Parse(await Net.OutboundHttp.ReadLimitedAsync(res, MaxAnswerBytes, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException or Net.OutboundException or IOException)
        {
            if (ct.IsCancellationRequested) throw;
            return null;
        }
    }
}
