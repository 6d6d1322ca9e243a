using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PaperGao.Core.Net;

/// <summary>
/// The one HTTP client for every request the server makes on a user's behalf (OAuth2 providers, S3 endpoints,
/// functions' $http.send, webhooks). It resolves host names itself and refuses to connect when any resolved address
/// is blocked (<see cref="AddressRules"/>) and not allow-listed; the check runs on every new connection, so redirects
/// and DNS changes are covered. No proxy (a proxy would be the only address checked), http/https only, connect
/// timeout 10 s, whole request 30 s unless the caller's token ends it sooner.
/// </summary>
public static class OutboundHttp
{
    /// <summary>The default cap for <see cref="ReadLimitedAsync"/> callers that have no better figure.</summary>
    public const long DefaultMaxResponseBytes = 10L * 1024 * 1024;

    private static volatile AllowList _operator = AllowList.Empty;
    private static readonly ConcurrentDictionary<(string Key, bool Redirects), HttpClient> Clients = new();

    /// <summary>The server operator's allow-list (PaperGaoOptions.OutboundAllowHosts, PAPERGAO_OUTBOUND_ALLOW); applies to every client.</summary>
    public static void Configure(IEnumerable<string> operatorAllowedHosts) => _operator = new AllowList(operatorAllowedHosts);

    /// <summary>The operator's allow-list as configured.</summary>
    public static AllowList OperatorAllowList => _operator;

    /// <summary>The shared guarded client (follows up to 5 redirects, each checked).</summary>
    public static HttpClient Client => For([]);

    /// <summary>A guarded client that also allows <paramref name="extraAllowedHosts"/> (e.g. a project's allow-list); cached per list.</summary>
    public static HttpClient For(IEnumerable<string> extraAllowedHosts, bool followRedirects = true)
    {
        var extra = new AllowList(extraAllowedHosts);
        return Clients.GetOrAdd((extra.Key, followRedirects), static (_, state) => Create(state.extra, state.followRedirects), (extra, followRedirects));
    }

    private static HttpClient Create(AllowList extra, bool followRedirects)
    {
        var handler = CreateHandler(extra, followRedirects);
        handler.AutomaticDecompression = DecompressionMethods.All;
        return new HttpClient(new SchemeGuard(handler)) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// The guarded handler itself, for a client that needs its own timeouts (the S3 SDK's large transfers): no proxy,
    /// the address check on every connection, up to 5 redirects when <paramref name="followRedirects"/>, bodies as sent
    /// (no decompression: S3 objects stored with a Content-Encoding must come back byte for byte).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(AllowList extra, bool followRedirects) => new()
    {
        UseProxy = false,
        AllowAutoRedirect = followRedirects,
        MaxAutomaticRedirections = 5,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, extra, ct),
    };

    /// <summary>Resolves, checks every address, then connects to the checked addresses only (no second lookup).</summary>
    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, AllowList extra, CancellationToken ct)
    {
        var host = endpoint.Host.Trim('[', ']');
        var hostAllowed = _operator.AllowsHost(host) || extra.AllowsHost(host);
        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal)) addresses = [literal];
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(host, ct); }
            catch (SocketException) { throw new OutboundException($"The host '{host}' could not be resolved."); }
        }
        if (addresses.Length == 0) throw new OutboundException($"The host '{host}' could not be resolved.");
        if (!hostAllowed)
        {
            foreach (var address in addresses)
            {
                if (AddressRules.IsBlocked(address) && !_operator.AllowsAddress(address) && !extra.AllowsAddress(address))
                    throw new OutboundException($"Requests to '{host}' are not allowed: it resolves to a loopback, private, link-local or reserved address.");
            }
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends through <paramref name="client"/> (default: <see cref="Client"/>) and turns a refusal by the guard into
    /// an <see cref="OutboundException"/> (HttpClient wraps it otherwise).
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct, HttpClient? client = null)
    {
        try
        {
            return await (client ?? Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (Find(e) is { } refused)
        {
            throw refused;
        }
    }

    /// <summary>Reads the whole body, refusing one longer than <paramref name="maxBytes"/> (declared or actual).</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, long maxBytes, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is long declared && declared > maxBytes)
            throw new OutboundException($"The response is larger than {maxBytes} bytes.");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new OutboundException($"The response is larger than {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static OutboundException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is OutboundException o) return o;
        return null;
    }

    /// <summary>Only http and https leave the server (the handler would refuse others too; this gives a clear message).</summary>
    private sealed class SchemeGuard(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var uri = request.RequestUri;
            if (uri is null || !uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
                throw new OutboundException("Only absolute http(s) URLs without credentials can be requested.");
            return base.SendAsync(request, ct);
        }
    }
}
