using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Push.PushTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>
/// POST /api/push/send and the delivery log, against tests/push-server: every message is decrypted there with npm
/// http_ece and its VAPID JWT verified with jws, so the crypto is checked by an implementation other than ours.
/// </summary>
public sealed class PushSendTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_send_reaches_the_users_devices_encrypted_and_signed_and_its_log_counts_them(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        var publicKey = await EnableAsync(su, ct);
        Assert.Equal(publicKey, (await GetJsonAsync(app.Client, "/api/push/vapid-public-key", ct))["publicKey"]!.GetValue<string>());

        var aliceId = await Users.SignUpAsync(app, "alice@papergao.test", ct);
        await Users.SignUpAsync(app, "bob@papergao.test", ct);
        using var alice = await Users.SignedInClientAsync(app, "alice@papergao.test", ct);
        using var bob = await Users.SignedInClientAsync(app, "bob@papergao.test", ct);
        var (a1, _) = await RegisterAsync(alice, push, ct, ["news"]);
        var (a2, _) = await RegisterAsync(alice, push, ct);
        var (b1, _) = await RegisterAsync(bob, push, ct, ["news"]);

        var id = await SendAsync202(su, new
        {
            users = new[] { aliceId },
            title = "Hello",
            body = "Your order shipped ✓",
            data = new { orderId = "o1", n = 3 },
            ttl = 600,
            urgency = "high",
            collapseKey = "order-o1",
        }, ct);
        var log = await WaitForSendAsync(su, id, ct);
        Assert.Equal("done", log["status"]!.GetValue<string>());
        Assert.Equal(2, log["recipients"]!.GetValue<long>());
        Assert.Equal(2, log["accepted"]!.GetValue<long>());
        Assert.Equal(0, log["rejected"]!.GetValue<long>());

        foreach (var sub in new[] { a1, a2 })
        {
            var m = Assert.Single(await push.MessagesAsync(ct, sub))!;
            Assert.Null(m["error"]);
            Assert.Equal(201, m["status"]!.GetValue<int>());
            Assert.Equal("600", m["ttl"]!.GetValue<string>());
            Assert.Equal("high", m["urgency"]!.GetValue<string>());
            Assert.Equal("order-o1", m["topic"]!.GetValue<string>());
            Assert.Equal(Subject, m["vapid"]!["sub"]!.GetValue<string>());
            var payload = JsonNode.Parse(m["payload"]!.GetValue<string>())!;
            Assert.Equal("Hello", payload["title"]!.GetValue<string>());
            Assert.Equal("Your order shipped ✓", payload["body"]!.GetValue<string>());
            Assert.Equal("o1", payload["data"]!["orderId"]!.GetValue<string>());
        }
        Assert.Empty(await push.MessagesAsync(ct, b1));

        // A topic reaches the devices that asked for it, whoever owns them.
        var topicSend = await SendAsync202(su, new { topic = "NEWS", title = "Daily" }, ct);
        Assert.Equal(2, (await WaitForSendAsync(su, topicSend, ct))["accepted"]!.GetValue<long>());
        Assert.Equal(2, (await push.MessagesAsync(ct, a1)).Count);
        Assert.Single(await push.MessagesAsync(ct, a2));
        Assert.Single(await push.MessagesAsync(ct, b1));

        // dryRun reports the recipients and queues nothing.
        var (dry, report) = await SendAsync(su, HttpMethod.Post, "/api/push/send", new { topic = "news", title = "x", dryRun = true }, ct);
        Assert.Equal(200, dry);
        Assert.Equal(2, report!["recipients"]!.GetValue<long>());
        Assert.Equal(2, report["devices"]!.AsArray().Count);
        Assert.Null(report["id"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_gone_device_is_removed_and_a_throttled_one_is_retried_after_retry_after(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableAsync(su, ct);
        var daveId = await Users.SignUpAsync(app, "dave@papergao.test", ct);
        using var dave = await Users.SignedInClientAsync(app, "dave@papergao.test", ct);
        var (gone, goneDevice) = await RegisterAsync(dave, push, ct, status: 410);
        var (busy, busyDevice) = await RegisterAsync(dave, push, ct, script: [new { status = 429, retryAfter = 1 }]);
        var (broken, _) = await RegisterAsync(dave, push, ct, status: 500);

        var id = await SendAsync202(su, new { users = new[] { daveId }, title = "Ping" }, ct);
        // The 500 device is tried 4 times (backoff 1 s, 2 s, 4 s) before it counts as rejected.
        var log = await WaitForSendAsync(su, id, ct);
        Assert.Equal("done", log["status"]!.GetValue<string>());
        Assert.Equal(3, log["recipients"]!.GetValue<long>());
        Assert.Equal(1, log["accepted"]!.GetValue<long>());
        Assert.Equal(1, log["invalid"]!.GetValue<long>());
        Assert.Equal(1, log["rejected"]!.GetValue<long>());
        Assert.Equal(1 + 3, log["retried"]!.GetValue<long>());

        var attempts = await push.MessagesAsync(ct, busy);
        Assert.Equal(new[] { 429, 201 }, attempts.Select(m => m!["status"]!.GetValue<int>()));
        Assert.True(attempts[1]!["at"]!.GetValue<long>() - attempts[0]!["at"]!.GetValue<long>() >= 950, "the retry waited for Retry-After: " + attempts.ToJsonString());
        Assert.Equal(4, (await push.MessagesAsync(ct, broken)).Count);
        Assert.Single(await push.MessagesAsync(ct, gone));

        var left = (await GetJsonAsync(dave, "/api/push/devices", ct)).AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(goneDevice, left);
        Assert.Contains(busyDevice, left);
        Assert.Equal(2, left.Count);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_full_queue_refuses_the_next_send_at_once_with_429(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableAsync(su, ct);
        var frankId = await Users.SignUpAsync(app, "frank@papergao.test", ct);
        using var frank = await Users.SignedInClientAsync(app, "frank@papergao.test", ct);
        // The push service keeps asking to wait 30 s: the project's one worker sits in the first send meanwhile.
        var (slow, _) = await RegisterAsync(frank, push, ct, status: 429, script: [new { status = 429, retryAfter = 30 }]);
        await SendAsync202(su, new { users = new[] { frankId }, title = "first" }, ct);
        await push.WaitForMessagesAsync(m => m.Count >= 1, ct, slow);

        // 100 sends wait in the queue (PushLimits.QueueCapacity); the next is refused at once, and its log says why.
        for (var i = 0; i < 100; i++) await SendAsync202(su, new { users = new[] { frankId }, title = "queued " + i }, ct);
        var (full, error) = await SendAsync(su, HttpMethod.Post, "/api/push/send", new { users = new[] { frankId }, title = "one too many" }, ct);
        Assert.Equal(429, full);
        Assert.Equal(429, error!["status"]!.GetValue<int>());
        Assert.Single(await push.MessagesAsync(ct, slow)); // nothing else was delivered meanwhile
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Only_superusers_and_push_keys_send_and_bad_sends_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        var erinId = await Users.SignUpAsync(app, "erin@papergao.test", ct);
        using var erin = await Users.SignedInClientAsync(app, "erin@papergao.test", ct);
        var ok = new { users = new[] { erinId }, title = "t" };

        // Not enabled yet: a real send is refused, a dry run works.
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, "/api/push/send", ok, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/push/send", new { users = new[] { erinId }, title = "t", dryRun = true }, ct)).Status);
        await EnableAsync(su, ct);

        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, "/api/push/send", ok, ct)).Status);
        var (refused, envelope) = await SendAsync(erin, HttpMethod.Post, "/api/push/send", ok, ct);
        Assert.Equal(403, refused);
        Assert.Equal(403, envelope!["status"]!.GetValue<int>());
        Assert.Equal(403, (await SendAsync(erin, HttpMethod.Post, "/api/push/vapid-keys", null, ct)).Status);

        // An API key with the push flag sends and reads logs, and nothing else; a scoped key without it cannot send.
        var (_, pushKey) = await SendAsync(su, HttpMethod.Post, "/api/keys", new { name = "notifier", push = true }, ct);
        Assert.True(pushKey!["push"]!.GetValue<bool>());
        using var keyClient = app.CreateClient();
        keyClient.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", pushKey["key"]!.GetValue<string>());
        var (sent, log) = await SendAsync(keyClient, HttpMethod.Post, "/api/push/send", ok, ct);
        Assert.Equal(202, sent);
        Assert.Equal(200, (await SendAsync(keyClient, HttpMethod.Get, "/api/push/sends/" + log!["id"]!.GetValue<string>(), null, ct)).Status);
        Assert.Equal(403, (await SendAsync(keyClient, HttpMethod.Get, "/api/settings", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(keyClient, HttpMethod.Post, "/api/push/vapid-keys", null, ct)).Status);
        var (_, usersKey) = await SendAsync(su, HttpMethod.Post, "/api/keys", new { name = "reader", scopes = new[] { new { collection = "users", actions = new[] { "list" } } } }, ct);
        using var scoped = app.CreateClient();
        scoped.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", usersKey!["key"]!.GetValue<string>());
        Assert.Equal(403, (await SendAsync(scoped, HttpMethod.Post, "/api/push/send", ok, ct)).Status);

        (object Body, string Field)[] bad =
        [
            (new { title = "t" }, "users"),
            (new { users = new[] { erinId }, topic = "news", title = "t" }, "users"),
            (new { users = Array.Empty<string>(), title = "t" }, "users"),
            (new { users = new[] { erinId } }, "title"),
            (new { users = new[] { erinId }, title = "t", urgency = "urgent" }, "urgency"),
            (new { users = new[] { erinId }, title = "t", ttl = -1 }, "ttl"),
            (new { users = new[] { erinId }, title = "t", collapseKey = "not a key!" }, "collapseKey"),
            (new { users = new[] { erinId }, title = "t", data = new { big = new string('x', 4000) } }, "data"),
            (new { users = new[] { erinId }, title = "t", data = "text" }, "data"),
            (new { topic = "a b", title = "t" }, "topic"),
            (new { filter = "verified = true", title = "t" }, "collection"),
            (new { filter = "verified = true", collection = "posts_missing", title = "t" }, "collection"),
            (new { filter = "nope ~~ (", collection = "users", title = "t" }, "filter"),
            (new { filter = "unknownField = 1", collection = "users", title = "t" }, "filter"),
        ];
        foreach (var (body, field) in bad)
        {
            var (status, error) = await SendAsync(su, HttpMethod.Post, "/api/push/send", body, ct);
            Assert.True(status == 400, System.Text.Json.JsonSerializer.Serialize(body) + " -> " + status);
            Assert.True(error!["data"]![field] is not null, System.Text.Json.JsonSerializer.Serialize(body) + " -> " + error.ToJsonString());
        }
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, "/api/push/sends/nosuchsend", null, ct)).Status);

        // The recent sends' logs, newest first (the dashboard's delivery log): superusers and push keys only.
        var (listed, recent) = await SendAsync(su, HttpMethod.Get, "/api/push/sends?limit=1", null, ct);
        Assert.True(listed == 200, recent?.ToJsonString());
        Assert.Equal(log["id"]!.GetValue<string>(), Assert.Single(recent!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(keyClient, HttpMethod.Get, "/api/push/sends", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(erin, HttpMethod.Get, "/api/push/sends", null, ct)).Status);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/push/sends", null, ct)).Status);
        foreach (var limit in new[] { "0", "201", "abc", "-1" })
        {
            var (status, error) = await SendAsync(su, HttpMethod.Get, "/api/push/sends?limit=" + limit, null, ct);
            Assert.True(status == 400 && error!["data"]!["limit"] is not null, limit + " -> " + status);
        }

        // Which credentials are set, never their values: superusers only.
        var (credStatus, creds) = await SendAsync(su, HttpMethod.Get, "/api/push/credentials", null, ct);
        Assert.True(credStatus == 200, creds?.ToJsonString());
        Assert.True(creds!["vapidPrivateKey"]!.GetValue<bool>());
        Assert.False(creds["fcmServiceAccount"]!.GetValue<bool>());
        Assert.False(creds["apnsPrivateKey"]!.GetValue<bool>());
        Assert.Equal("web", Assert.Single(creds["platforms"]!.AsArray())!.GetValue<string>());
        Assert.Equal(403, (await SendAsync(erin, HttpMethod.Get, "/api/push/credentials", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(keyClient, HttpMethod.Get, "/api/push/credentials", null, ct)).Status);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/push/credentials", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_filter_send_reaches_exactly_the_matching_users_within_the_recipient_cap(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await using var push = await TestPushServer.StartAsync(ct);
        using var su = await app.SuperuserClientAsync(ct);
        await EnableAsync(su, ct, maxRecipients: 20);
        const int users = 60;
        var subs = await push.SubscribeAsync(ct, users);
        var usersId = (await GetJsonAsync(su, "/api/collections/users", ct))["id"]!.GetValue<string>();
        var vip = new HashSet<string>();
        for (var i = 0; i < users; i++)
        {
            var (status, rec) = await SendAsync(su, HttpMethod.Post, "/api/collections/users/records",
                new { email = $"u{i}@papergao.test", password = Users.Password, passwordConfirm = Users.Password, verified = i % 2 == 0, name = i < 50 ? "many" : "few" }, ct);
            Assert.True(status == 200, rec?.ToJsonString());
            await StoreDeviceAsync(app, usersId, rec!["id"]!.GetValue<string>(), subs[i]!["subscription"]!, ct);
            if (i % 2 == 0 && i < 50) vip.Add(subs[i]!["id"]!.GetValue<string>());
        }

        // 30 verified users: over the cap of 20, refused before anything is queued; the dry run still reports them.
        var (dry, report) = await SendAsync(su, HttpMethod.Post, "/api/push/send", new { collection = "users", filter = "verified = true", title = "x", dryRun = true }, ct);
        Assert.Equal(200, dry);
        Assert.Equal(30, report!["recipients"]!.GetValue<long>());
        var (over, error) = await SendAsync(su, HttpMethod.Post, "/api/push/send", new { collection = "users", filter = "verified = true", title = "x" }, ct);
        Assert.Equal(400, over);
        Assert.Equal("validation_too_many_recipients", error!["data"]!["users"]!["code"]!.GetValue<string>());

        await SendAsync(su, HttpMethod.Patch, "/api/settings", new { push = new { maxRecipients = 1000 } }, ct);
        var id = await SendAsync202(su, new { collection = "users", filter = "verified = true && name = 'many'", title = "VIP" }, ct);
        var log = await WaitForSendAsync(su, id, ct);
        Assert.Equal(25, log["recipients"]!.GetValue<long>());
        Assert.Equal(25, log["accepted"]!.GetValue<long>());
        var received = await push.MessagesAsync(ct);
        Assert.Equal(vip, received.Select(m => m!["sub"]!.GetValue<string>()).ToHashSet());
        Assert.All(received, m => Assert.Null(m!["error"]));
    }
}
