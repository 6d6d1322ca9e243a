using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Push.PushTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>
/// FCM (HTTP v1 with the OAuth2 service-account exchange) and APNs (HTTP/2 + TLS, ES256 provider tokens) against
/// tests/push-server, which verifies the RS256 assertion and the ES256 provider token with the test's public keys
/// (npm jws) and checks each request the way the services document it.
/// </summary>
public sealed class PushMobileTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Fcm_and_apns_devices_receive_a_send_authenticated_with_the_configured_keys(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await EnableApnsAsync(app, su, push, ct);
        var aliceId = await Users.SignUpAsync(app, "alice@papergao.test", ct);
        using var alice = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        var (fcmToken, _) = await RegisterTokenAsync(alice, push, "fcm", ct, ["news"]);
        var (apnsToken, _) = await RegisterTokenAsync(alice, push, "apns", ct);
        var devices = (await GetJsonAsync(alice, "/api/push/devices", ct)).AsArray();
        Assert.Equal(["fcm", "apns"], devices.Select(d => d!["platform"]!.GetValue<string>()).Order().Reverse());

        var id = await SendAsync202(su, new
        {
            users = new[] { aliceId },
            title = "Hello",
            body = "Your order shipped ✓",
            data = new { orderId = "o1", n = 3 },
            badge = 2,
            sound = "default",
            ttl = 600,
            urgency = "high",
            collapseKey = "order-o1",
        }, ct);
        var log = await WaitForSendAsync(su, id, ct);
        Assert.True(log["accepted"]!.GetValue<long>() == 2, log.ToJsonString());
        Assert.Equal(2, log["recipients"]!.GetValue<long>());
        Assert.Equal("", log["error"]!.GetValue<string>());

        var fcm = Assert.Single(await push.MessagesAsync(ct, fcmToken))!;
        Assert.Equal(200, fcm["status"]!.GetValue<int>());
        var m = fcm["message"]!;
        Assert.Equal("Hello", m["notification"]!["title"]!.GetValue<string>());
        Assert.Equal("Your order shipped ✓", m["notification"]!["body"]!.GetValue<string>());
        Assert.Equal("3", m["data"]!["n"]!.GetValue<string>()); // FCM data values are strings
        Assert.Equal("o1", m["data"]!["orderId"]!.GetValue<string>());
        Assert.Equal("HIGH", m["android"]!["priority"]!.GetValue<string>());
        Assert.Equal("600s", m["android"]!["ttl"]!.GetValue<string>());
        Assert.Equal("order-o1", m["android"]!["collapse_key"]!.GetValue<string>());
        Assert.Equal(2, m["apns"]!["payload"]!["aps"]!["badge"]!.GetValue<int>());

        var apns = Assert.Single(await push.MessagesAsync(ct, apnsToken))!;
        Assert.True(apns["status"]!.GetValue<int>() == 200, apns.ToJsonString());
        Assert.Equal("h2", apns["protocol"]!.GetValue<string>());
        Assert.Equal(ApnsTopic, apns["topic"]!.GetValue<string>());
        Assert.Equal("alert", apns["pushType"]!.GetValue<string>());
        Assert.Equal("10", apns["priority"]!.GetValue<string>());
        Assert.Equal("order-o1", apns["collapseId"]!.GetValue<string>());
        Assert.Equal(ApnsKeyId, apns["jwt"]!["kid"]!.GetValue<string>());
        Assert.Equal(ApnsTeamId, apns["jwt"]!["iss"]!.GetValue<string>());
        var expiration = long.Parse(apns["expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 500, 620);
        var payload = apns["payload"]!;
        Assert.Equal("Hello", payload["aps"]!["alert"]!["title"]!.GetValue<string>());
        Assert.Equal(2, payload["aps"]!["badge"]!.GetValue<int>());
        Assert.Equal("default", payload["aps"]!["sound"]!.GetValue<string>());
        Assert.Equal("o1", payload["orderId"]!.GetValue<string>());

        // A second send reuses the cached OAuth2 token: still one exchange.
        var topicSend = await SendAsync202(su, new { topic = "news", title = "Daily" }, ct);
        Assert.Equal(1, (await WaitForSendAsync(su, topicSend, ct))["accepted"]!.GetValue<long>());
        Assert.Equal(2, (await push.MessagesAsync(ct, fcmToken)).Count);
        Assert.Equal(1, (await push.StatsAsync(ct))["fcmTokenExchanges"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Unregistered_tokens_are_removed_and_throttled_ones_retried_after_retry_after(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableFcmAsync(su, push, ct);
        await EnableApnsAsync(app, su, push, ct);
        var daveId = await Users.SignUpAsync(app, "dave@papergao.test", ct);
        using var dave = await Users.SignedInClientAsync(app, "dave@papergao.test", ct);
        var (_, fcmGone) = await RegisterTokenAsync(dave, push, "fcm", ct, status: 404);
        var (fcmBusy, fcmBusyDevice) = await RegisterTokenAsync(dave, push, "fcm", ct, script: [new { status = 429, retryAfter = 1 }]);
        var (_, apnsGone) = await RegisterTokenAsync(dave, push, "apns", ct, status: 410);
        var (apnsBusy, apnsBusyDevice) = await RegisterTokenAsync(dave, push, "apns", ct, script: [new { status = 429, retryAfter = 1 }]);

        var id = await SendAsync202(su, new { users = new[] { daveId }, title = "Ping" }, ct);
        var log = await WaitForSendAsync(su, id, ct);
        Assert.True(log["status"]!.GetValue<string>() == "done", log.ToJsonString());
        Assert.Equal(4, log["recipients"]!.GetValue<long>());
        Assert.Equal(2, log["accepted"]!.GetValue<long>());
        Assert.Equal(2, log["invalid"]!.GetValue<long>());
        Assert.Equal(0, log["rejected"]!.GetValue<long>());
        Assert.Equal(2, log["retried"]!.GetValue<long>());

        foreach (var token in new[] { fcmBusy, apnsBusy })
        {
            var attempts = await push.MessagesAsync(ct, token);
            Assert.Equal(new[] { 429, 200 }, attempts.Select(a => a!["status"]!.GetValue<int>()));
            Assert.True(attempts[1]!["at"]!.GetValue<long>() - attempts[0]!["at"]!.GetValue<long>() >= 950, "the retry waited for Retry-After: " + attempts.ToJsonString());
        }
        var left = (await GetJsonAsync(dave, "/api/push/devices", ct)).AsArray().Select(d => d!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(new HashSet<string> { fcmBusyDevice, apnsBusyDevice }, left);
        Assert.DoesNotContain(fcmGone, left);
        Assert.DoesNotContain(apnsGone, left);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_fcm_and_apns_settings_are_refused_per_field_and_keys_the_services_refuse_are_reported(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        var (account, _) = ServiceAccount();
        var (p8, _) = ApnsKey();
        var userAccount = JsonNode.Parse(account)!.AsObject();
        userAccount["type"] = "authorized_user";
        var ecAccount = JsonNode.Parse(account)!.AsObject();
        ecAccount["private_key"] = p8;
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        (object Push, string Field, string Code)[] bad =
        [
            (new { fcmEnabled = true }, "fcmServiceAccount", "validation_required"),
            (new { fcmServiceAccount = "{not json" }, "fcmServiceAccount", "validation_invalid_service_account"),
            (new { fcmServiceAccount = userAccount.ToJsonString() }, "fcmServiceAccount", "validation_invalid_service_account"),
            (new { fcmServiceAccount = ecAccount.ToJsonString() }, "fcmServiceAccount", "validation_invalid_service_account"),
            (new { fcmServiceAccount = 7 }, "fcmServiceAccount", "validation_invalid_value"),
            (new { fcmEndpoint = "ftp://fcm.example.test" }, "fcmEndpoint", "validation_invalid_url"),
            (new { fcmTokenUrl = "http://oauth.example.test/token" }, "fcmTokenUrl", "validation_invalid_url"),
            (new { apnsEnabled = true }, "apnsPrivateKey", "validation_required"),
            (new { apnsEnabled = true }, "apnsKeyId", "validation_invalid_key_id"),
            (new { apnsKeyId = "short" }, "apnsKeyId", "validation_invalid_key_id"),
            (new { apnsTeamId = "team123456" }, "apnsTeamId", "validation_invalid_team_id"),
            (new { apnsPrivateKey = rsa.ExportPkcs8PrivateKeyPem() }, "apnsPrivateKey", "validation_invalid_apns_key"),
            (new { apnsPrivateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }, "apnsPrivateKey", "validation_invalid_apns_key"),
            (new { apnsTopic = "com example app" }, "apnsTopic", "validation_invalid_topic"),
            (new { apnsEndpoint = "http://localhost:1" }, "apnsEndpoint", "validation_invalid_url"),
            (new { apnsProduction = "yes" }, "apnsProduction", "validation_invalid_value"),
        ];
        var before = (await GetJsonAsync(su, "/api/settings", ct))["push"]!.ToJsonString();
        foreach (var (p, field, code) in bad)
        {
            var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { push = p }, ct);
            var text = System.Text.Json.JsonSerializer.Serialize(p);
            Assert.True(status == 400, text + " -> " + status);
            Assert.True(body!["data"]?["push"]?[field]?["code"]?.GetValue<string>() == code, text + " -> " + body.ToJsonString());
        }
        Assert.Equal(before, (await GetJsonAsync(su, "/api/settings", ct))["push"]!.ToJsonString());

        // Well-formed keys that the services do not know: the stand-ins verify with other public keys. The send runs,
        // the devices are rejected (not removed), and the log says which service refused and why; one token exchange only.
        await using var push = await TestPushServer.StartAsync(ct);
        var (_, otherFcm) = ServiceAccount();
        var (_, otherApns) = ApnsKey();
        await EnableFcmAsync(su, push, ct, standInKeyPem: otherFcm);
        await EnableApnsAsync(app, su, push, ct, standInKeyPem: otherApns);
        var settings = await GetJsonAsync(su, "/api/settings", ct);
        Assert.Null(settings["push"]!["fcmServiceAccount"]);
        Assert.Null(settings["push"]!["apnsPrivateKey"]);
        Assert.DoesNotContain("PRIVATE KEY", settings.ToJsonString(), StringComparison.Ordinal);
        // A PATCH of other keys keeps the write-only ones.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { push = new { apnsProduction = false, fcmEnabled = true } }, ct)).Status);
        var stored = JsonNode.Parse((await Users.ReadRawAsync(app, "_params", "value", "settings", ct))!)!["push"]!;
        Assert.Contains("PRIVATE KEY", stored["fcmServiceAccount"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY", stored["apnsPrivateKey"]!.GetValue<string>(), StringComparison.Ordinal);

        var erinId = await Users.SignUpAsync(app, "erin@papergao.test", ct);
        using var erin = await Users.SignedInClientAsync(app, "erin@papergao.test", ct);
        await RegisterTokenAsync(erin, push, "fcm", ct);
        await RegisterTokenAsync(erin, push, "fcm", ct);
        await RegisterTokenAsync(erin, push, "apns", ct);
        var id = await SendAsync202(su, new { users = new[] { erinId }, title = "Ping" }, ct);
        var log = await WaitForSendAsync(su, id, ct);
        Assert.True(log["rejected"]!.GetValue<long>() == 3, log.ToJsonString());
        var error = log["error"]!.GetValue<string>();
        Assert.Contains("FCM: The token exchange was refused (400)", error, StringComparison.Ordinal);
        Assert.Contains("APNs answered 403 InvalidProviderToken", error, StringComparison.Ordinal);
        Assert.Equal(3, (await GetJsonAsync(erin, "/api/push/devices", ct)).AsArray().Count);
        var stats = await push.StatsAsync(ct);
        Assert.Equal(1, stats["fcmTokenExchanges"]!.GetValue<int>());
        Assert.Equal(1, stats["fcmTokensRefused"]!.GetValue<int>());
    }
}
