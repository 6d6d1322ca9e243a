using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>POST/GET/DELETE /api/push/devices (docs/push.md): a record's own devices only, bad input refused.</summary>
public sealed class PushDevicesTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Devices_are_registered_listed_and_removed_by_their_owner_only(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        await Users.SignUpAsync(app, "alice@papergao.test", ct);
        await Users.SignUpAsync(app, "bob@papergao.test", ct);
        using var alice = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        using var bob = await Users.SignedInClientAsync(app, "bob@papergao.test", ct);

        var sub = (await push.SubscribeAsync(ct))[0]!["subscription"]!;
        var (status, device) = await SendAsync(alice, HttpMethod.Post, "/api/push/devices",
            new JsonObject { ["platform"] = "web", ["subscription"] = sub.DeepClone(), ["topics"] = new JsonArray("News", "sport", "news") }, ct);
        Assert.True(status == 200, device?.ToJsonString());
        var id = device!["id"]!.GetValue<string>();
        Assert.Equal(new[] { "news", "sport" }, device["topics"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(sub["endpoint"]!.GetValue<string>(), device["endpoint"]!.GetValue<string>());
        Assert.Null(device["auth"]); // the subscription's secret is not echoed

        // Registering the same endpoint again keeps one device (the browser re-subscribes on every visit).
        var (again, same) = await SendAsync(alice, HttpMethod.Post, "/api/push/devices", new JsonObject { ["platform"] = "web", ["subscription"] = sub.DeepClone() }, ct);
        Assert.Equal(200, again);
        Assert.Equal(id, same!["id"]!.GetValue<string>());
        var own = await GetJsonAsync(alice, "/api/push/devices", ct);
        Assert.Single(own.AsArray());
        // Also under the project's path.
        Assert.Single((await GetJsonAsync(alice, "/p/main/api/push/devices", ct)).AsArray());

        // Bob sees none of Alice's devices and cannot remove them.
        Assert.Empty((await GetJsonAsync(bob, "/api/push/devices", ct)).AsArray());
        var (denied, envelope) = await SendAsync(bob, HttpMethod.Delete, "/api/push/devices/" + id, null, ct);
        Assert.Equal(404, denied);
        Assert.Equal(404, envelope!["status"]!.GetValue<int>());
        Assert.Single((await GetJsonAsync(alice, "/api/push/devices", ct)).AsArray());

        // Guests and API keys have no devices.
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/push/devices", null, ct)).Status);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, "/api/push/devices", new JsonObject { ["platform"] = "web", ["subscription"] = sub.DeepClone() }, ct)).Status);

        Assert.Equal(204, (await SendAsync(alice, HttpMethod.Delete, "/api/push/devices/" + id, null, ct)).Status);
        Assert.Equal(404, (await SendAsync(alice, HttpMethod.Delete, "/api/push/devices/" + id, null, ct)).Status);
        Assert.Empty((await GetJsonAsync(alice, "/api/push/devices", ct)).AsArray());

        var doc = await GetJsonAsync(app.Client, "/api/openapi.json", ct);
        Assert.Equal("RegisterPushDevice", doc["paths"]!["/api/push/devices"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.Equal("SendPush", doc["paths"]!["/api/push/send"]!["post"]!["operationId"]!.GetValue<string>());
    }

    private static readonly (string Json, string Path, string Code)[] BadRegistrations =
    [
        ("""{"platform":"pager","subscription":{}}""", "platform", "validation_invalid_platform"),
        ("""{"platform":"fcm"}""", "token", "validation_required"),
        ("""{"platform":"fcm","token":"not a token!"}""", "token", "validation_invalid_token"),
        ("""{"platform":"fcm","token":42}""", "token", "validation_invalid_value"),
        ("""{"platform":"fcm","token":"abc","subscription":{}}""", "subscription", "validation_invalid_value"),
        ("""{"platform":"apns","token":"abc123"}""", "token", "validation_invalid_token"),
        ("""{"platform":"apns","token":"zz00000000000000000000000000000000000000000000000000000000000000"}""", "token", "validation_invalid_token"),
        ("""{"subscription":{}}""", "platform", "validation_required"),
        ("""{"platform":"web"}""", "subscription", "validation_required"),
        ("""{"platform":"web","subscription":"https://push.example.test/x"}""", "subscription", "validation_invalid_subscription"),
        ("""{"platform":"web","subscription":{"keys":{}}}""", "subscription.endpoint", "validation_required"),
        ("""{"platform":"web","subscription":{"endpoint":"ftp://push.example.test/x","keys":{}}}""", "subscription.endpoint", "validation_invalid_endpoint"),
        ("""{"platform":"web","subscription":{"endpoint":"http://push.example.test/x","keys":{}}}""", "subscription.endpoint", "validation_invalid_endpoint"),
        ("""{"platform":"web","subscription":{"endpoint":"https://u:p@push.example.test/x","keys":{}}}""", "subscription.endpoint", "validation_invalid_endpoint"),
        ("""{"platform":"web","subscription":{"endpoint":"https://push.example.test/x"}}""", "subscription.keys", "validation_required"),
        ("""{"platform":"web","subscription":{"endpoint":"https://push.example.test/x","keys":{"p256dh":"AAAA","auth":"AAAAAAAAAAAAAAAAAAAAAA"}}}""", "subscription.keys.p256dh", "validation_invalid_key"),
        ("""{"platform":"web","subscription":{"endpoint":"https://push.example.test/x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"c2hvcnQ"}}}""", "subscription.keys.auth", "validation_invalid_key"),
        ("""{"platform":"web","subscription":{"endpoint":"https://push.example.test/x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}},"topics":["a b"]}""", "topics", "validation_invalid_topic"),
        ("""{"platform":"web","subscription":{"endpoint":"https://push.example.test/x","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}},"topics":"news"}""", "topics", "validation_invalid_value"),
    ];

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_registrations_are_refused_in_the_envelope_and_store_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await Users.SignUpAsync(app, "carol@papergao.test", ct);
        using var carol = await Users.SignedInClientAsync(app, "carol@papergao.test", ct);
        foreach (var (json, path, code) in BadRegistrations)
        {
            var (status, body) = await SendAsync(carol, HttpMethod.Post, "/api/push/devices", JsonNode.Parse(json), ct);
            Assert.True(status == 400, json + " -> " + status);
            Assert.Equal(400, body!["status"]!.GetValue<int>());
            JsonNode? at = body["data"];
            foreach (var part in path.Split('.')) at = at?[part];
            Assert.True(at?["code"]?.GetValue<string>() == code, json + " -> " + body.ToJsonString());
        }
        Assert.Empty((await GetJsonAsync(carol, "/api/push/devices", ct)).AsArray());
    }
}
