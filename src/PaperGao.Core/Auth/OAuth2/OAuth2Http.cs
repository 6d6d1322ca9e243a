using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Auth.OAuth2;

/// <summary>
/// The server-side calls to providers: no redirects followed (a provider URL can't bounce the server elsewhere),
/// 30 s timeout, answers capped at 1 MiB, and provider error bodies never surface (security.md item 31).
/// </summary>
public static class OAuth2Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        MaxResponseContentBufferSize = 1 << 20,
    };

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
            using var res = await Client.SendAsync(req, ct);
            if (!res.IsSuccessStatusCode) return null;
            var text = await res.Content.ReadAsStringAsync(ct);
            return JsonNode.Parse(text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            if (ct.IsCancellationRequested) throw;
            return null;
        }
    }
}
