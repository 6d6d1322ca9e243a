using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Realtime;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// Two nodes on one PostgreSQL database with no sticky sessions (docs/scaling.md): the SSE stream is on node A, the
/// subscription request and the OAuth2 popup's redirect reach node B, which forwards them over the bus; A applies them
/// with every check of a single node (auth binding, caller IP, limits, one-shot @oauth2).
/// </summary>
public sealed class RealtimeRelayTests(PostgresCluster postgres)
{
    private sealed record Cluster(PaperGaoApp A, PaperGaoApp B, HttpClient Su) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
        }
    }

    /// <summary>A client of one node calling from one IP (the trusted proxy header: in-process requests have no socket address).</summary>
    private static HttpClient From(PaperGaoApp node, string ip, string? token = null)
    {
        var c = node.CreateClient();
        c.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-For", ip);
        if (token is not null) c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return c;
    }

    private async Task<Cluster> StartAsync(CancellationToken ct)
    {
        var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var b = a.StartNode();
        var su = await a.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { trustedProxy = new { headers = new[] { "X-Forwarded-For" } } }, ct)).Status);
        using var suB = b.CreateClient();
        suB.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", await a.SuperuserTokenAsync(ct));
        await Eventually.UntilAsync(async () =>
                (await GetJsonAsync(suB, "/api/settings", ct))["trustedProxy"]?["headers"]?.AsArray().Count == 1
                && (await suB.GetAsync("/api/collections/messages", ct)).IsSuccessStatusCode,
            ct, "node B to take the schema and the settings", TimeSpan.FromSeconds(20));
        return new Cluster(a, b, su);
    }

    private static RealtimeRelay RelayOf(PaperGaoApp node) => node.Services.GetRequiredService<RealtimeFanout>().Relay;

    /// <summary>Node B has heard node A's heartbeat (a node learns the others within a bus round trip of its start).</summary>
    private static Task WaitForPeerAsync(PaperGaoApp b, string clientId, CancellationToken ct) =>
        Eventually.UntilAsync(() => RelayOf(b).HeldElsewhere(clientId), ct, "node B to know node A", TimeSpan.FromSeconds(20));

    private static async Task<(int Status, string Message)> PostAsync(HttpClient client, object body, CancellationToken ct)
    {
        using var r = await client.PostAsJsonAsync("/api/realtime", body, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return ((int)r.StatusCode, text.Length == 0 ? "" : JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? "");
    }

    [Fact]
    public async Task A_subscription_sent_to_node_B_applies_to_the_stream_on_node_A_with_the_same_checks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await StartAsync(ct);
        var (a, b, su) = c;
        var alice = await Users.SignUpAsync(a, "alice@example.com", ct);
        var bob = await Users.SignUpAsync(a, "bob@example.com", ct);
        var aliceToken = await Users.SignInAsync(a, "alice@example.com", ct);
        var bobToken = await Users.SignInAsync(a, "bob@example.com", ct);
        await using var stream = await SseStream.OpenAsync(From(a, "10.0.0.1"), ct);
        await WaitForPeerAsync(b, stream.ClientId, ct);

        // Alice's subscription through B binds her auth on A: her own message (only she may see it) arrives on A's stream.
        using var aliceB = From(b, "10.0.0.1", aliceToken);
        Assert.Equal(204, await SubscribeAsync(aliceB, stream.ClientId, ct, "messages/*"));
        await CreateMessageAsync(su, new { text = "for bob", owner = bob }, ct);
        var mine = await CreateMessageAsync(su, new { text = "for alice", owner = alice }, ct);
        var f = await stream.NextAsync(ct);
        Assert.Equal("messages/*", f.Event);
        Assert.Equal(mine, f.Json["record"]!["id"]!.GetValue<string>()); // not bob's: the rule ran with alice's auth

        // Refused as on one node, and nothing changes: another user, a guest, another IP, malformed topics, too many.
        using var bobB = From(b, "10.0.0.1", bobToken);
        Assert.Equal((403, "The current and the previous request authorization don't match."),
            await PostAsync(bobB, new { clientId = stream.ClientId, subscriptions = new[] { "messages/*" } }, ct));
        Assert.Equal(403, await SubscribeAsync(From(b, "10.0.0.1"), stream.ClientId, ct, "messages/*"));
        Assert.Equal((400, "Invalid realtime client."),
            await PostAsync(From(b, "10.0.0.9", aliceToken), new { clientId = stream.ClientId, subscriptions = new[] { "messages/*" } }, ct));
        Assert.Equal(400, await SubscribeAsync(aliceB, stream.ClientId, ct, "messages/*\nevent:forged"));
        Assert.Equal(400, await SubscribeAsync(aliceB, stream.ClientId, ct, [.. Enumerable.Range(0, 1001).Select(i => "messages/" + i)]));

        // Unknown ids through B: one that names no node (answered at once) and one that names A (A answers 404).
        var sw = Stopwatch.StartNew();
        Assert.Equal((404, "Missing or invalid client id."), await PostAsync(aliceB, new { clientId = new string('z', 40), subscriptions = new[] { "messages/*" } }, ct));
        Assert.True(sw.Elapsed < RealtimeLimits.ForwardTimeout, $"took {sw.Elapsed}");
        var gone = stream.ClientId[..RealtimeLimits.NodeTagLength] + new string('z', 32);
        Assert.True(RelayOf(b).HeldElsewhere(gone));
        Assert.Equal((404, "Missing or invalid client id."), await PostAsync(aliceB, new { clientId = gone, subscriptions = new[] { "messages/*" } }, ct));

        // Alice's one subscription still delivers, once.
        var again = await CreateMessageAsync(su, new { text = "again", owner = alice }, ct);
        Assert.Equal(again, (await stream.NextAsync(ct)).Json["record"]!["id"]!.GetValue<string>());
        Assert.True(stream.IsEmpty);

        // Topics too large for the bus (4.5 MB of notice at most): refused clearly, not a silent 404.
        var huge = Enumerable.Range(0, 1000)
            .Select(i => "messages/*?options={\"query\":{\"filter\":\"" + i + new string('é', 2440) + "\"}}").ToArray();
        var json = "{\"clientId\":\"" + stream.ClientId + "\",\"subscriptions\":[" + string.Join(",", huge.Select(h => "\"" + h.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"")) + "]}";
        using var tooLarge = await aliceB.PostAsync("/api/realtime", new StringContent(json, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(413, (int)tooLarge.StatusCode);
        Assert.Contains("too large to forward", JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync(ct))!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A set that needs several bus chunks is forwarded whole.
        var many = Enumerable.Range(0, 300).Select(i => "messages/*?options=" + Uri.EscapeDataString("{\"query\":{\"filter\":\"text != '" + i + new string('x', 100) + "'\"}}")).ToArray();
        Assert.Equal(204, await SubscribeAsync(aliceB, stream.ClientId, ct, many));
        var last = await CreateMessageAsync(su, new { text = "many", owner = alice }, ct);
        var frames = new List<SseStream.Frame>();
        for (var i = 0; i < many.Length; i++) frames.Add(await stream.NextAsync(ct));
        Assert.All(frames, x => Assert.Equal(last, x.Json["record"]!["id"]!.GetValue<string>()));
        Assert.Equal(many.ToHashSet(), frames.Select(x => x.Event).ToHashSet());
    }

    [Fact]
    public async Task The_OAuth2_popup_redirect_on_node_B_reaches_the_client_on_node_A_once_and_from_its_IP_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await StartAsync(ct);
        var (a, b, _) = c;
        await using var stream = await SseStream.OpenAsync(From(a, "10.0.0.1"), ct);
        await WaitForPeerAsync(b, stream.ClientId, ct);
        using var fromB = From(b, "10.0.0.1");
        // Not subscribed to @oauth2 yet: not a target.
        using (var r = await fromB.GetAsync("/api/oauth2-redirect?code=abc&state=" + stream.ClientId, ct)) Assert.Equal(404, (int)r.StatusCode);
        Assert.Equal(204, await SubscribeAsync(fromB, stream.ClientId, ct, "@oauth2"));

        // Another IP (the browser is not the one holding the stream): refused, and the hand-off is not used up.
        using (var r = await From(b, "10.0.0.2").GetAsync("/api/oauth2-redirect?code=abc&state=" + stream.ClientId, ct))
        {
            Assert.Equal(404, (int)r.StatusCode);
            Assert.Equal("Missing or invalid OAuth2 realtime client.", JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["message"]!.GetValue<string>());
        }

        using (var ok = await fromB.GetAsync("/api/oauth2-redirect?code=the-code&state=" + stream.ClientId, ct))
        {
            Assert.Equal(200, (int)ok.StatusCode);
            Assert.StartsWith("text/html", ok.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        }
        var f = await stream.NextAsync(ct);
        Assert.Equal("@oauth2", f.Event);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["state"] = stream.ClientId, ["code"] = "the-code" }, f.Json), f.Data);

        // Used once: a second redirect, on either node, is 404.
        using (var r = await fromB.GetAsync("/api/oauth2-redirect?code=other&state=" + stream.ClientId, ct)) Assert.Equal(404, (int)r.StatusCode);
        using (var r = await From(a, "10.0.0.1").GetAsync("/api/oauth2-redirect?code=other&state=" + stream.ClientId, ct)) Assert.Equal(404, (int)r.StatusCode);

        // The form_post variant with a provider error, and a state no node holds.
        Assert.Equal(204, await SubscribeAsync(fromB, stream.ClientId, ct, "@oauth2"));
        using (var r = await fromB.PostAsync("/api/oauth2-redirect", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = stream.ClientId, ["error"] = "access_denied" }), ct))
            Assert.Equal(200, (int)r.StatusCode);
        var denied = await stream.NextAsync(ct);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["state"] = stream.ClientId, ["code"] = "", ["error"] = "access_denied" }, denied.Json), denied.Data);
        using (var r = await fromB.GetAsync("/api/oauth2-redirect?code=abc&state=" + stream.ClientId[..RealtimeLimits.NodeTagLength] + "nobody", ct)) Assert.Equal(404, (int)r.StatusCode);
        Assert.True(stream.IsEmpty);
    }

    /// <summary>
    /// Guessed client ids naming another node (its tag is in every client id it hands out) are counted before they are
    /// forwarded: node B forwards 30 a minute per IP and answers the rest 429 itself. Requests for a client A holds are
    /// given back and use none of the budget.
    /// </summary>
    [Fact]
    public async Task Unknown_client_ids_are_counted_before_they_are_forwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await StartAsync(ct);
        var (a, b, _) = c;
        await using var stream = await SseStream.OpenAsync(From(a, "10.0.0.7"), ct);
        await WaitForPeerAsync(b, stream.ClientId, ct);
        var forwards = 0;
        var marker = stream.ClientId[..RealtimeLimits.NodeTagLength] + new string('x', 32);
        var markerSeen = 0;
        await using var bus = new NpgsqlConnection(a.Settings.Db);
        await bus.OpenAsync(ct);
        bus.Notification += (_, e) =>
        {
            if (JsonNode.Parse(e.Payload) is not JsonObject { } n || (string?)n["t"] != "q") return;
            Interlocked.Increment(ref forwards);
            if ((string?)n["c"] == marker) Volatile.Write(ref markerSeen, 1);
        };
        await using (var listen = new NpgsqlCommand("LISTEN " + PostgresRealtimeBus.ChannelName, bus)) await listen.ExecuteNonQueryAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var listening = Task.Run(async () =>
        {
            try { while (true) await bus.WaitAsync(stop.Token); }
            catch (OperationCanceledException) { }
        }, CancellationToken.None);

        try
        {
            // Forwarded and answered for: more than the limit, all 204.
            using var guestB = From(b, "10.0.0.7");
            for (var i = 0; i < RealtimeLimits.MaxUnknownClientIdsPerMinute + 5; i++)
                Assert.Equal(204, await SubscribeAsync(guestB, stream.ClientId, ct, "messages/*"));
            var known = RealtimeLimits.MaxUnknownClientIdsPerMinute + 5;
            await Eventually.UntilAsync(() => Volatile.Read(ref forwards) == known, ct, "the forwarded subscriptions on the bus");

            // Guesses naming A: the first 30 are forwarded (A answers 404), then B answers 429 without forwarding.
            var tag = stream.ClientId[..RealtimeLimits.NodeTagLength];
            var statuses = new List<int>();
            for (var i = 0; i < RealtimeLimits.MaxUnknownClientIdsPerMinute + 20; i++)
                statuses.Add((await PostAsync(guestB, new { clientId = tag + i.ToString("D32", System.Globalization.CultureInfo.InvariantCulture), subscriptions = new[] { "messages/*" } }, ct)).Status);
            Assert.Equal([.. Enumerable.Repeat(404, RealtimeLimits.MaxUnknownClientIdsPerMinute), .. Enumerable.Repeat(429, 20)], statuses);
            // Another IP has its own budget: its guess is forwarded. Notices arrive in commit order, so once it is heard
            // every earlier forward has been: the 30 guesses are all there were.
            Assert.Equal((404, "Missing or invalid client id."), await PostAsync(From(b, "10.0.0.8"), new { clientId = marker, subscriptions = new[] { "messages/*" } }, ct));
            await Eventually.UntilAsync(() => Volatile.Read(ref markerSeen) == 1, ct, "the other IP's guess on the bus");
            Assert.Equal(known + RealtimeLimits.MaxUnknownClientIdsPerMinute + 1, Volatile.Read(ref forwards));
            // The redirect shares the budget: 429, not forwarded either.
            using (var r = await guestB.GetAsync("/api/oauth2-redirect?code=abc&state=" + tag + new string('y', 32), ct)) Assert.Equal(429, (int)r.StatusCode);
            // Over the limit, even the real client is refused by B for this IP (nothing forwarded); on A it is served.
            Assert.Equal(429, await SubscribeAsync(guestB, stream.ClientId, ct, "messages/*"));
            Assert.Equal(204, await SubscribeAsync(From(a, "10.0.0.7"), stream.ClientId, ct, "messages/*"));
        }
        finally
        {
            // The listening loop ends before the connection is disposed (else the dispose would hide a failed assert).
            await stop.CancelAsync();
            await listening;
        }
    }

    [Fact]
    public async Task A_stopping_node_says_so_and_its_clients_are_unknown_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await StartAsync(ct);
        var (_, b, _) = c;
        string clientId;
        await using (var third = c.A.StartNode())
        {
            await using var stream = await SseStream.OpenAsync(From(third, "10.0.0.1"), ct);
            clientId = stream.ClientId;
            await WaitForPeerAsync(b, clientId, ct);
            Assert.Equal(204, await SubscribeAsync(From(b, "10.0.0.1"), clientId, ct, "messages/*"));
        }
        // The third node stopped (its streams ended): B forgets it on its "bye", without waiting for its heartbeat to age.
        await Eventually.UntilAsync(() => !RelayOf(b).HeldElsewhere(clientId), ct, "node B to forget the stopped node", TimeSpan.FromSeconds(20));
        var sw = Stopwatch.StartNew();
        Assert.Equal((404, "Missing or invalid client id."), await PostAsync(From(b, "10.0.0.1"), new { clientId, subscriptions = new[] { "messages/*" } }, ct));
        Assert.True(sw.Elapsed < RealtimeLimits.ForwardTimeout, $"took {sw.Elapsed}");
    }

    [Fact]
    public async Task Malformed_or_forged_requests_on_the_bus_are_answered_and_change_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var c = await StartAsync(ct);
        var (a, b, su) = c;
        await using var stream = await SseStream.OpenAsync(From(a, "10.0.0.1"), ct);
        Assert.Equal(204, await SubscribeAsync(From(a, "10.0.0.1"), stream.ClientId, ct, "messages/*"));

        // A listener of our own on the channel, posing as a third node: its requests get answers addressed to it.
        await using var conn = new NpgsqlConnection(a.Settings.Db);
        await conn.OpenAsync(ct);
        var answers = System.Threading.Channels.Channel.CreateUnbounded<JsonObject>();
        conn.Notification += (_, e) =>
        {
            if (JsonNode.Parse(e.Payload) is JsonObject o && (string?)o["t"] == "y" && (string?)o["to"] == "testnode") answers.Writer.TryWrite(o);
        };
        await using (var listen = new NpgsqlCommand("LISTEN " + PostgresRealtimeBus.ChannelName, conn)) await listen.ExecuteNonQueryAsync(ct);

        async Task NotifyAsync(JsonObject notice)
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_notify($1, $2)", conn);
            cmd.Parameters.AddWithValue(PostgresRealtimeBus.ChannelName);
            cmd.Parameters.AddWithValue(notice.ToJsonString());
            await cmd.ExecuteNonQueryAsync(ct);
        }

        async Task<int> AskAsync(JsonObject request)
        {
            var id = Guid.NewGuid().ToString("N");
            request["n"] = "testnode";
            request["t"] = "q";
            request["i"] = id;
            request["p"] ??= "main";
            request["c"] ??= stream.ClientId;
            await NotifyAsync(request);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(20));
            while (true)
            {
                // Npgsql raises notifications while it reads from the connection: during the NOTIFY above, or here.
                while (answers.Reader.TryRead(out var reply))
                {
                    if ((string?)reply["i"] == id) return reply["st"]!.GetValue<int>();
                }
                await conn.WaitAsync(deadline.Token);
            }
        }

        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = "messages/*", ["ip"] = "10.0.0.1" })); // not an array
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray(1, 2), ["ip"] = "10.0.0.1" }));
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*\nevent:x"), ["ip"] = "10.0.0.1" }));
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*") })); // no IP
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*"), ["ip"] = "10.0.0.2" })); // another IP
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "zz", ["ip"] = "10.0.0.1" }));
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*"), ["ip"] = "10.0.0.1", ["ar"] = 5 }));
        Assert.Equal(401, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*"), ["ip"] = "10.0.0.1", ["ar"] = "nope/x" }));
        Assert.Equal(404, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray("messages/*"), ["ip"] = "10.0.0.1", ["p"] = "other" }));
        Assert.Equal(404, await AskAsync(new JsonObject { ["k"] = "s", ["s"] = new JsonArray(), ["ip"] = "10.0.0.1", ["c"] = stream.ClientId[..8] + "x" }));
        Assert.Equal(404, await AskAsync(new JsonObject { ["k"] = "o", ["code"] = "c", ["ip"] = "10.0.0.1" })); // not subscribed to @oauth2
        Assert.Equal(400, await AskAsync(new JsonObject { ["k"] = "o", ["ip"] = "10.0.0.1" })); // no code

        // A node that announced itself and then does not answer (it died a moment ago): B waits for it, then says 404.
        var silent = "deadnode" + new string('q', 32);
        await NotifyAsync(new JsonObject { ["n"] = "deadnode", ["t"] = "h" });
        await Eventually.UntilAsync(() => RelayOf(b).HeldElsewhere(silent), ct, "node B to hear the silent node", TimeSpan.FromSeconds(20));
        var sw = Stopwatch.StartNew();
        Assert.Equal((404, "Missing or invalid client id."), await PostAsync(From(b, "10.0.0.1"), new { clientId = silent, subscriptions = new[] { "messages/*" } }, ct));
        Assert.True(sw.Elapsed >= RealtimeLimits.ForwardTimeout - TimeSpan.FromMilliseconds(50), $"took {sw.Elapsed}");
        using (var r = await From(b, "10.0.0.1").GetAsync("/api/oauth2-redirect?code=abc&state=" + silent, ct)) Assert.Equal(404, (int)r.StatusCode);

        // The stream and its subscription are untouched, and B still works.
        var id = await CreateMessageAsync(su, new { text = "still", room = "public" }, ct);
        Assert.Equal(id, (await stream.NextAsync(ct)).Json["record"]!["id"]!.GetValue<string>());
        await WaitForPeerAsync(b, stream.ClientId, ct);
        Assert.Equal(204, await SubscribeAsync(From(b, "10.0.0.1"), stream.ClientId, ct, "messages/*"));
    }
}
