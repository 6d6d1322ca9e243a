using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>/api/realtime/ws (docs/realtime.md): same topics, options and rules as SSE; auth by token message; ping/pong; errors.</summary>
public sealed class RealtimeWebSocketTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task WebSocket_clients_authenticate_subscribe_and_get_only_allowed_events(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        await using var node = await RealtimeNode.StartAsync(database?.ConnectionString, ct, extraArgs: "--PaperGao:RealtimeIdleSeconds=2");
        await CreateMessagesAsync(node.Superuser, ct, rule: "owner = @request.auth.id");
        var (_, u1) = await SendAsync(node.Guest, HttpMethod.Post, "/api/collections/users/records", new { email = "dan@example.com", password = "Dan-password-12", passwordConfirm = "Dan-password-12" }, ct);
        var (_, u2) = await SendAsync(node.Guest, HttpMethod.Post, "/api/collections/users/records", new { email = "eve@example.com", password = "Eve-password-12", passwordConfirm = "Eve-password-12" }, ct);
        var dan = u1!["id"]!.GetValue<string>();
        var eve = u2!["id"]!.GetValue<string>();
        var (_, auth) = await SendAsync(node.Guest, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "dan@example.com", password = "Dan-password-12" }, ct);
        var danToken = auth!["token"]!.GetValue<string>();
        (_, auth) = await SendAsync(node.Guest, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "eve@example.com", password = "Eve-password-12" }, ct);
        var eveToken = auth!["token"]!.GetValue<string>();

        // A plain GET (no upgrade) is a 400 in the error envelope.
        using (var plain = await node.Guest.GetAsync("/api/realtime/ws", ct))
        {
            Assert.Equal(400, (int)plain.StatusCode);
            Assert.Equal(400, JsonNode.Parse(await plain.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
        }

        await using var ws = await WsSession.ConnectAsync(node.BaseUrl, ct);
        Assert.Matches("^[A-Za-z0-9]{40}$", ws.ClientId);
        Assert.Equal("pong", (string?)(await ws.RequestAsync(new JsonObject { ["type"] = "ping", ["id"] = 7 }, ct))["type"]);

        // Bad input: not JSON, unknown type, bad token, malformed options, too many topics.
        await ws.SendTextAsync("{nope", ct);
        var err = await ws.NextAsync(ct);
        Assert.Equal("error", (string?)err!["type"]);
        Assert.Equal(400, (int?)err["status"]);
        var reply = await ws.RequestAsync(new JsonObject { ["type"] = "dance", ["id"] = "r1" }, ct);
        Assert.Equal(400, (int?)reply["status"]);
        Assert.Equal("r1", (string?)reply["id"]);
        Assert.Equal(401, (int?)(await ws.RequestAsync(new JsonObject { ["type"] = "auth", ["token"] = "garbage" }, ct))["status"]);
        reply = await ws.RequestAsync(new JsonObject { ["type"] = "subscribe", ["subscriptions"] = new JsonArray("messages/*?options=%7Bx") }, ct);
        Assert.Equal(400, (int?)reply["status"]);
        Assert.NotNull(reply["data"]!["subscriptions"]!["0"]);
        reply = await ws.RequestAsync(new JsonObject { ["type"] = "subscribe", ["subscriptions"] = new JsonArray([.. Enumerable.Range(0, 1001).Select(i => (JsonNode)("messages/" + i))]) }, ct);
        Assert.Equal(400, (int?)reply["status"]);

        Assert.Equal("ok", (string?)(await ws.RequestAsync(new JsonObject { ["type"] = "auth", ["token"] = danToken }, ct))["type"]);
        Assert.Equal(403, (int?)(await ws.RequestAsync(new JsonObject { ["type"] = "auth", ["token"] = eveToken }, ct))["status"]);
        var withOptions = WithOptions("messages/*", new JsonObject { ["query"] = new JsonObject { ["fields"] = "id,text" } });
        Assert.Equal("ok", (string?)(await ws.RequestAsync(new JsonObject { ["type"] = "subscribe", ["subscriptions"] = new JsonArray(withOptions) }, ct))["type"]);

        await CreateMessageAsync(node.Superuser, new { text = "for eve", owner = eve }, ct);
        var mine = await CreateMessageAsync(node.Superuser, new { text = "for dan", owner = dan }, ct);
        var ev = await ws.NextAsync(ct);
        Assert.Equal("event", (string?)ev!["type"]);
        Assert.Equal(withOptions, (string?)ev["event"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["action"] = "create", ["record"] = new JsonObject { ["id"] = mine, ["text"] = "for dan" } }, ev["data"]), ev.ToJsonString());

        // The idle timeout (2 s here) closes a socket that neither receives nor sends anything.
        var closed = await ws.NextAsync(ct, TimeSpan.FromSeconds(10));
        Assert.Null(closed);
    }
}
