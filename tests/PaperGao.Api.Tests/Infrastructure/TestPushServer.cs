using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A Web Push service stand-in on 127.0.0.1 for one test: tests/push-server/server.mjs, which decrypts every message
/// with npm http_ece and verifies its VAPID JWT with jws and web-push's helpers, records it, and answers 201 (or what
/// a subscription was told to: 410, 429 with Retry-After, ...). Endpoints are "http://localhost:PORT/push/ID" (the test
/// host allow-lists "localhost" for outbound requests).
/// </summary>
public sealed class TestPushServer : IAsyncDisposable
{
    private readonly NodeTestServer _server;
    private readonly HttpClient _http;

    private TestPushServer(NodeTestServer server)
    {
        _server = server;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}") };
    }

    public static async Task<TestPushServer> StartAsync(CancellationToken ct) =>
        new(await NodeTestServer.StartAsync("push-server", "http_ece", ct));

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
        await _server.DisposeAsync();
    }
}
