using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>POST /api/realtime refusals (security.md items 32-34): each answers the error envelope and changes nothing.</summary>
public sealed class RealtimeBadInputTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Unknown_client_other_auth_limits_and_malformed_options_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct, rule: "");
        await Users.SignUpAsync(app, "alice@example.com", ct);
        await Users.SignUpAsync(app, "bob@example.com", ct);
        var alice = await Users.SignedInClientAsync(app, "alice@example.com", ct);
        var bob = await Users.SignedInClientAsync(app, "bob@example.com", ct);
        await using var s = await SseStream.OpenAsync(app.CreateClient(), ct);

        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = "x" + s.ClientId[1..] + "q", subscriptions = new[] { "messages/*" } }, ct);
        Assert.Equal(404, status);
        Assert.Equal("Missing or invalid client id.", body!["message"]!.GetValue<string>());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { subscriptions = new[] { "messages/*" } }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_required", body!["data"]!["clientId"]!["code"]!.GetValue<string>());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = "messages/*,x" }, ct);
        Assert.Equal(204, status); // a single string is one subscription (form bodies)
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = new object[] { 1, "a/*" } }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_value", body!["data"]!["subscriptions"]!["code"]!.GetValue<string>());

        // Limits: 1001 topics, a 2501-character topic, malformed options, line breaks in the event name.
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = Enumerable.Range(0, 1001).Select(i => "messages/" + i).ToArray() }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["subscriptions"]);
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = new[] { "messages/*", "messages/" + new string('a', 2492) } }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_length_too_long", body!["data"]!["subscriptions"]!["1"]!["code"]!.GetValue<string>());
        foreach (var bad in new[] { "messages/*?options=%7Bnot-json", "messages/*?options=%5B1%5D", "messages/*?options=" + Uri.EscapeDataString("{\"query\":\"x\"}"),
                     "messages/*?options=" + Uri.EscapeDataString("{\"headers\":[1]}"), "messages/*\nevent:forged", "/x", "messages/a/b" })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = new[] { bad } }, ct);
            Assert.True(status == 400, bad);
            Assert.Equal("validation_invalid_subscription", body!["data"]!["subscriptions"]!["0"]!["code"]!.GetValue<string>());
        }

        // Auth binding: guest → alice upgrades; then bob, or no auth at all, is 403.
        Assert.Equal(204, await SubscribeAsync(alice, s.ClientId, ct, "messages/*"));
        (status, body) = await SendAsync(bob, HttpMethod.Post, "/api/realtime", new { clientId = s.ClientId, subscriptions = new[] { "messages/*" } }, ct);
        Assert.Equal(403, status);
        Assert.Equal("The current and the previous request authorization don't match.", body!["message"]!.GetValue<string>());
        Assert.Equal(403, await SubscribeAsync(app.Client, s.ClientId, ct, "messages/*"));
        Assert.Equal(403, await SubscribeAsync(su, s.ClientId, ct, "messages/*"));

        // None of that changed the subscriptions: alice's single "messages/*" still delivers, once.
        await CreateMessageAsync(su, new { text = "ok" }, ct);
        Assert.Equal("messages/*", (await s.NextAsync(ct)).Event);
        await CreateMessageAsync(su, new { text = "ok2" }, ct);
        Assert.Equal("ok2", (await s.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());

        // Guessing client ids is bounded: after 30 unknown ids a minute from one IP the answer is 429 (item 34).
        var statuses = new List<int>();
        for (var i = 0; i < 32; i++)
            statuses.Add((await SendAsync(app.Client, HttpMethod.Post, "/api/realtime", new { clientId = "guess" + i, subscriptions = new[] { "messages/*" } }, ct)).Status);
        Assert.Contains(429, statuses);
        Assert.All(statuses, st => Assert.True(st is 404 or 429));
        Assert.Equal(204, await SubscribeAsync(alice, s.ClientId, ct, "messages/*")); // a known client still works

        // An empty list unsubscribes but keeps the stream open.
        Assert.Equal(204, await SubscribeAsync(alice, s.ClientId, ct));
        await CreateMessageAsync(su, new { text = "none" }, ct);
        Assert.Equal(204, await SubscribeAsync(alice, s.ClientId, ct, "messages/*"));
        await CreateMessageAsync(su, new { text = "again" }, ct);
        Assert.Equal("again", (await s.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task OAuth2_redirect_refuses_missing_state_and_unknown_clients(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var r1 = await app.Client.GetAsync("/api/oauth2-redirect?code=abc", ct);
        Assert.Equal(400, (int)r1.StatusCode);
        Assert.Equal("validation_required", JsonNode.Parse(await r1.Content.ReadAsStringAsync(ct))!["data"]!["state"]!["code"]!.GetValue<string>());
        await using var s = await SseStream.OpenAsync(app.CreateClient(), ct);
        // A client that is not subscribed to @oauth2 is not a valid target.
        using var r2 = await app.Client.GetAsync("/api/oauth2-redirect?code=abc&state=" + s.ClientId, ct);
        Assert.Equal(404, (int)r2.StatusCode);
        using var r3 = await app.Client.PostAsync("/api/oauth2-redirect", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = "nope", ["code"] = "c" }), ct);
        Assert.Equal(404, (int)r3.StatusCode);

        Assert.Equal(204, await SubscribeAsync(app.Client, s.ClientId, ct, "@oauth2"));
        using var ok = await app.Client.PostAsync("/api/oauth2-redirect", new FormUrlEncodedContent(new Dictionary<string, string> { ["state"] = s.ClientId, ["code"] = "the-code" }), ct);
        Assert.Equal(200, (int)ok.StatusCode);
        var f = await s.NextAsync(ct);
        Assert.Equal("@oauth2", f.Event);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["state"] = s.ClientId, ["code"] = "the-code" }, f.Json), f.Data);
        // Used once: the subscription is gone.
        using var again = await app.Client.GetAsync("/api/oauth2-redirect?code=abc&state=" + s.ClientId, ct);
        Assert.Equal(404, (int)again.StatusCode);

        // The realtime routes are in the OpenAPI document.
        var doc = JsonNode.Parse(await app.Client.GetStringAsync("/api/openapi.json", ct))!;
        var paths = doc["paths"]!.AsObject();
        Assert.NotNull(paths["/api/realtime"]!["get"]);
        Assert.NotNull(paths["/api/realtime"]!["post"]);
        Assert.NotNull(paths["/api/realtime/ws"]!["get"]);
        Assert.NotNull(paths["/api/oauth2-redirect"]!["get"]);
        Assert.NotNull(paths["/api/oauth2-redirect"]!["post"]);
    }
}
