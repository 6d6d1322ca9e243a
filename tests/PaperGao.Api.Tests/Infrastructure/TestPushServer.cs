using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using PaperGao.Core.Net;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A Web Push service stand-in on 127.0.0.1 for one test: tests/push-server/server.mjs, which decrypts every message
/// with npm http_ece and verifies its VAPID JWT with jws and web-push's helpers, records it, and answers 201 (or what
/// a subscription was told to: 410, 429 with Retry-After, ...). Endpoints are "http://localhost:PORT/push/ID" (the test
/// host allow-lists "localhost" for outbound requests). It also plays FCM's HTTP v1 API and OAuth2 token endpoint on the
/// same port, and APNs over HTTP/2 with TLS on a second port, with a self-signed certificate made here that only
/// <see cref="TrustingClient"/> trusts.
/// </summary>
public sealed class TestPushServer : IAsyncDisposable
{
    private readonly NodeTestServer _server;
    private readonly HttpClient _http;
    private readonly X509Certificate2 _certificate;

    private TestPushServer(NodeTestServer server, X509Certificate2 certificate, int apnsPort)
    {
        _server = server;
        _certificate = certificate;
        ApnsPort = apnsPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
    }

    public int ApnsPort { get; }

    /// <summary>The FCM API base and token URL of the stand-in (for the push settings).</summary>
    public string FcmEndpoint => $"http://localhost:{_server.Port}";

    public string FcmTokenUrl => $"http://localhost:{_server.Port}/fcm/token";

    /// <summary>The APNs base URL (HTTP/2, TLS with the test certificate).</summary>
    public string ApnsEndpoint => $"https://localhost:{ApnsPort}";

    public static async Task<TestPushServer> StartAsync(CancellationToken ct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadCertificate(made.RawData);
        var node = await NodeTestServer.StartAsync("push-server", "http_ece", ct, made.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        try
        {
            using var info = new HttpClient();
            var apnsPort = JsonNode.Parse(await info.GetStringAsync($"http://127.0.0.1:{node.Port}/info", ct))!["apnsPort"]!.GetValue<int>();
            return new TestPushServer(node, certificate, apnsPort);
        }
        catch
        {
            await node.DisposeAsync();
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A guarded outbound client (the server's own handler: address checks, no proxy, no redirects) that trusts exactly
    /// this stand-in's self-signed certificate, for this client only; every other certificate is checked as usual.
    /// </summary>
    public HttpClient TrustingClient()
    {
        var handler = OutboundHttp.CreateHandler(new AllowList([]), followRedirects: false);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
        {
            if (errors == SslPolicyErrors.None) return true;
            if (cert is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(_certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
            return chain.Build(presented);
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Tells the FCM stand-in which service account signs the token requests.</summary>
    public async Task ConfigureFcmAsync(string projectId, string clientEmail, string publicKeyPem, CancellationToken ct)
    {
        using var r = await _http.PostAsJsonAsync("/fcm/config", new { projectId, clientEmail, publicKeyPem }, ct);
        r.EnsureSuccessStatusCode();
    }

    /// <summary>Tells the APNs stand-in which key, ids and topic the provider tokens and requests must carry.</summary>
    public async Task ConfigureApnsAsync(string keyId, string teamId, string topic, string publicKeyPem, CancellationToken ct)
    {
        using var r = await _http.PostAsJsonAsync("/apns/config", new { keyId, teamId, topic, publicKeyPem }, ct);
        r.EnsureSuccessStatusCode();
    }

    /// <summary>New device tokens of "fcm" or "apns" that answer <paramref name="status"/> (after <paramref name="script"/>).</summary>
    public async Task<List<string>> DeviceTokensAsync(string service, CancellationToken ct, int count = 1, int status = 200, object[]? script = null)
    {
        using var r = await _http.PostAsJsonAsync($"/{service}/devices", new { count, status, script = script ?? [] }, ct);
        r.EnsureSuccessStatusCode();
        return [.. JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!.AsArray().Select(d => d!["token"]!.GetValue<string>())];
    }

    /// <summary>
    /// Every FCM token starting with <paramref name="prefix"/> becomes a device that answers 200 after
    /// <paramref name="delayMs"/>; the stand-in keeps only a count per token (for sends to very many devices).
    /// </summary>
    public async Task ConfigureFcmBulkAsync(string prefix, int delayMs, CancellationToken ct)
    {
        using var r = await _http.PostAsJsonAsync("/fcm/bulk", new { prefix, delayMs }, ct);
        r.EnsureSuccessStatusCode();
    }

    /// <summary>The bulk devices' counts: {messages, devices (distinct tokens reached), repeated (tokens reached more than once)}.</summary>
    public async Task<JsonNode> FcmBulkAsync(CancellationToken ct) => JsonNode.Parse(await _http.GetStringAsync("/fcm/bulk", ct))!;

    public async Task<JsonNode> StatsAsync(CancellationToken ct) => JsonNode.Parse(await _http.GetStringAsync("/stats", ct))!;

    /// <summary>New subscriptions: each {id, subscription: {endpoint, keys: {p256dh, auth}}}.</summary>
    public async Task<JsonArray> SubscribeAsync(CancellationToken ct, int count = 1, int status = 201, object[]? script = null)
    {
        using var r = await _http.PostAsJsonAsync("/subscriptions", new { count, status, script = script ?? [] }, ct);
        r.EnsureSuccessStatusCode();
        return JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!.AsArray();
    }

    public async Task ScriptAsync(string id, int status, object[] script, CancellationToken ct)
    {
        using var r = await _http.PostAsJsonAsync("/subscriptions/" + id, new { status, script }, ct);
        r.EnsureSuccessStatusCode();
    }

    /// <summary>What the stand-in received (for one subscription when given), in order.</summary>
    public async Task<JsonArray> MessagesAsync(CancellationToken ct, string? sub = null) =>
        JsonNode.Parse(await _http.GetStringAsync(sub is null ? "/messages" : "/messages?sub=" + sub, ct))!.AsArray();

    /// <summary>Waits (deadline 30 s) until <paramref name="done"/> holds for the received messages.</summary>
    public async Task<JsonArray> WaitForMessagesAsync(Func<JsonArray, bool> done, CancellationToken ct, string? sub = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await MessagesAsync(ct, sub);
            if (done(list)) return list;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("push stand-in: condition not met; received " + list.ToJsonString());
            await Task.Delay(50, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _certificate.Dispose();
        await _server.DisposeAsync();
    }
}
