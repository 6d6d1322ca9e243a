using System.Text;
using PaperGao.Core.Net;

namespace PaperGao.Core.Push;

/// <summary>
/// What the three push senders share: one request through the guarded outbound client with its failures classified
/// (a refused address is final; a network failure or timeout is worth a retry), Retry-After, and error bodies read
/// with a small cap.
/// </summary>
public static class PushHttp
{
    /// <summary>The most of an error answer read (FCM and APNs answer errors with small JSON documents).</summary>
    public const int MaxErrorBytes = 16 * 1024;

    public static async Task<PushOutcome> SendAsync(HttpClient client, HttpRequestMessage request, Func<HttpResponseMessage, Task<PushOutcome>> classify, CancellationToken ct)
    {
        try
        {
            using var response = await OutboundHttp.SendAsync(request, ct, client);
            return await classify(response);
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

    /// <summary>Retry-After as seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var h = response.Headers.RetryAfter;
        if (h?.Delta is { } delta) return delta;
        if (h?.Date is { } date) return date - DateTimeOffset.UtcNow;
        return null;
    }

    /// <summary>The body of an error answer as text (at most <see cref="MaxErrorBytes"/>), or "" when it cannot be read.</summary>
    public static async Task<string> ReadTextAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return Encoding.UTF8.GetString(await OutboundHttp.ReadLimitedAsync(response, MaxErrorBytes, ct)); }
        catch (Exception e) when (e is OutboundException or HttpRequestException or IOException) { return ""; }
    }

    /// <summary>A short, single-line excerpt of a service's error text for the delivery log (never a secret: these are the service's words).</summary>
    public static string Excerpt(string text) =>
        new string([.. text.Take(200).Select(c => char.IsControl(c) ? ' ' : c)]).Trim();

    /// <summary>Signs a compact JWS: base64url(header) "." base64url(claims) "." base64url(sign(signing input)).</summary>
    public static string Jwt(ReadOnlySpan<byte> headerJson, ReadOnlySpan<byte> claimsJson, Func<byte[], byte[]> sign)
    {
        var signingInput = Base64Url.Encode(headerJson) + "." + Base64Url.Encode(claimsJson);
        return signingInput + "." + Base64Url.Encode(sign(Encoding.ASCII.GetBytes(signingInput)));
    }
}
