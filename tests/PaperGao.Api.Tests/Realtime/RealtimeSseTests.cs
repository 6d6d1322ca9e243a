using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>SSE as protocol.md §6: PB_CONNECT, id lines, create/update/delete events filtered by each subscriber's rules.</summary>
public sealed class RealtimeSseTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Events_follow_each_subscribers_rules_for_create_update_and_delete(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct);
        var alice = await Users.SignUpAsync(app, "alice@example.com", ct);
        var bob = await Users.SignUpAsync(app, "bob@example.com", ct);
        var aliceHttp = await Users.SignedInClientAsync(app, "alice@example.com", ct);
        var bobHttp = await Users.SignedInClientAsync(app, "bob@example.com", ct);

        await using var a = await SseStream.OpenAsync(app.CreateClient(), ct);
        await using var b = await SseStream.OpenAsync(app.CreateClient(), ct);
        await using var g = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal("text/event-stream", a.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", a.Response.Headers.CacheControl?.ToString());
        Assert.Equal("no", a.Response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Matches("^[A-Za-z0-9]{40}$", a.ClientId);
        Assert.Equal(204, await SubscribeAsync(aliceHttp, a.ClientId, ct, "messages/*"));
        Assert.Equal(204, await SubscribeAsync(bobHttp, b.ClientId, ct, "messages/*"));
        Assert.Equal(204, await SubscribeAsync(app.Client, g.ClientId, ct, "messages"));

        var privateId = await CreateMessageAsync(su, new { text = "for alice", owner = alice, secret = "s3" }, ct);
        var publicId = await CreateMessageAsync(su, new { text = "hello all", room = "public" }, ct);

        var fa = await a.NextAsync(ct);
        Assert.Equal(a.ClientId, fa.Id);
        Assert.Equal("messages/*", fa.Event);
        Assert.Equal("create", fa.Json["action"]!.GetValue<string>());
        Assert.Equal(privateId, fa.Json["record"]!["id"]!.GetValue<string>());
        Assert.Equal("messages", fa.Json["record"]!["collectionName"]!.GetValue<string>());
        Assert.Null(fa.Json["record"]!["secret"]); // hidden field: superusers only
        Assert.Equal(publicId, (await a.NextAsync(ct)).Json["record"]!["id"]!.GetValue<string>());
        // Bob and the guest see the public message first: the private one was never sent to them.
        Assert.Equal(publicId, (await b.NextAsync(ct)).Json["record"]!["id"]!.GetValue<string>());
        var fg = await g.NextAsync(ct);
        Assert.Equal("messages", fg.Event);
        Assert.Equal(publicId, fg.Json["record"]!["id"]!.GetValue<string>());

        // Update: moving the private message to the public room makes it visible to everybody.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/messages/records/" + privateId, new { room = "public" }, ct)).Status);
        foreach (var s in new[] { a, b, g })
        {
            var f = await s.NextAsync(ct);
            Assert.Equal("update", f.Json["action"]!.GetValue<string>());
            Assert.Equal("public", f.Json["record"]!["room"]!.GetValue<string>());
        }

        // Delete: the rule is checked against the row as it was; the payload is that row.
        var bobsId = await CreateMessageAsync(su, new { text = "for bob", owner = bob }, ct);
        Assert.Equal(bobsId, (await b.NextAsync(ct)).Json["record"]!["id"]!.GetValue<string>());
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/collections/messages/records/" + bobsId, null, ct)).Status);
        var del = await b.NextAsync(ct);
        Assert.Equal("delete", del.Json["action"]!.GetValue<string>());
        Assert.Equal("for bob", del.Json["record"]!["text"]!.GetValue<string>());
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/collections/messages/records/" + privateId, null, ct)).Status);
        foreach (var s in new[] { a, b, g })
        {
            var f = await s.NextAsync(ct);
            Assert.Equal("delete", f.Json["action"]!.GetValue<string>());
            Assert.Equal(privateId, f.Json["record"]!["id"]!.GetValue<string>());
        }
        Assert.True(a.IsEmpty && g.IsEmpty, "alice and the guest must not have seen bob's message");

        // A superuser subscriber sees hidden fields.
        await using var s2 = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await SubscribeAsync(su, s2.ClientId, ct, "messages/*"));
        await CreateMessageAsync(su, new { text = "x", owner = alice, secret = "top" }, ct);
        Assert.Equal("top", (await s2.NextAsync(ct)).Json["record"]!["secret"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Record_topics_filter_expand_and_fields_options_apply_per_subscriber(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct, rule: "");
        var alice = await Users.SignUpAsync(app, "alice@example.com", ct, extra: new JsonObject { ["name"] = "Alice" });
        var aliceHttp = await Users.SignedInClientAsync(app, "alice@example.com", ct);
        var first = await CreateMessageAsync(su, new { text = "one", room = "abc", owner = alice }, ct);

        await using var s = await SseStream.OpenAsync(app.CreateClient(), ct);
        var filtered = WithOptions("messages/*", new JsonObject { ["query"] = new JsonObject { ["filter"] = "room = \"abc\"" } });
        var expanded = WithOptions("messages/*", new JsonObject
        {
            ["query"] = new JsonObject { ["expand"] = "owner", ["fields"] = "id,text,expand.owner.name" },
            ["headers"] = new JsonObject { ["X-Custom"] = "1" },
        });
        var one = "messages/" + first;
        Assert.Equal(204, await SubscribeAsync(aliceHttp, s.ClientId, ct, filtered, expanded, one));

        var other = await CreateMessageAsync(su, new { text = "two", room = "zzz", owner = alice }, ct);
        var f = await s.NextAsync(ct);
        Assert.Equal(expanded, f.Event); // the filtered subscription skipped room "zzz"; "messages/<first>" is another record
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["expand"] = new JsonObject { ["owner"] = new JsonObject { ["name"] = "Alice" } }, ["id"] = other, ["text"] = "two" }, f.Json["record"]),
            f.Data);
        Assert.True(s.IsEmpty);

        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/messages/records/" + first, new { text = "uno" }, ct)).Status);
        var events = new[] { await s.NextAsync(ct), await s.NextAsync(ct), await s.NextAsync(ct) }.Select(x => x.Event).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { filtered, expanded, one }.Order(StringComparer.Ordinal), events);

        // A client filter may not reach @request.* for a non-superuser: no events rather than an error.
        await using var s3 = await SseStream.OpenAsync(app.CreateClient(), ct);
        var sneaky = WithOptions("messages/*", new JsonObject { ["query"] = new JsonObject { ["filter"] = "@request.auth.id != ''" } });
        Assert.Equal(204, await SubscribeAsync(aliceHttp, s3.ClientId, ct, sneaky, "messages/*"));
        await CreateMessageAsync(su, new { text = "three" }, ct);
        Assert.Equal("messages/*", (await s3.NextAsync(ct)).Event);
        await CreateMessageAsync(su, new { text = "four" }, ct);
        Assert.Equal("messages/*", (await s3.NextAsync(ct)).Event);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Rule_changes_and_token_key_rotation_apply_to_the_next_event(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct, rule: "owner = @request.auth.id");
        var alice = await Users.SignUpAsync(app, "alice@example.com", ct);
        var aliceToken = await Users.SignInAsync(app, "alice@example.com", ct);
        var aliceHttp = Users.ClientWith(app, aliceToken);
        await using var s = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await SubscribeAsync(aliceHttp, s.ClientId, ct, "messages/*"));
        await CreateMessageAsync(su, new { text = "1", owner = alice }, ct);
        Assert.Equal("1", (await s.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());

        // Locking the list rule stops the events at once (the rule is read per event).
        await Users.PatchCollectionAsync(app, "messages", new { listRule = (string?)null }, ct);
        await CreateMessageAsync(su, new { text = "2", owner = alice }, ct);
        await Users.PatchCollectionAsync(app, "messages", new { listRule = "owner = @request.auth.id" }, ct);
        await CreateMessageAsync(su, new { text = "3", owner = alice }, ct);
        Assert.Equal("3", (await s.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());

        // A password change rotates the tokenKey: the client falls back to guest and sees nothing of alice's.
        var (status, _) = await SendAsync(aliceHttp, HttpMethod.Patch, "/api/collections/users/records/" + alice,
            new { oldPassword = Users.Password, password = "New-password-456", passwordConfirm = "New-password-456" }, ct);
        Assert.Equal(200, status);
        await CreateMessageAsync(su, new { text = "4", owner = alice }, ct);
        await Users.PatchCollectionAsync(app, "messages", new { listRule = "" }, ct);
        await CreateMessageAsync(su, new { text = "5" }, ct);
        Assert.Equal("5", (await s.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());
        Assert.True(s.IsEmpty);
    }
    [Theory]
    [DatabaseMatrix]
    public async Task A_banned_user_or_invalidated_tokens_stop_private_events_on_open_streams(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateMessagesAsync(su, ct, rule: "owner = @request.auth.id");
        var (_, users) = await SendAsync(su, HttpMethod.Get, "/api/collections/users", null, ct);
        var fields = users!["fields"]!.DeepClone().AsArray();
        fields.Add(new JsonObject { ["name"] = "status", ["type"] = "text" });
        await Users.PatchCollectionAsync(app, "users", new JsonObject { ["fields"] = fields, ["authRule"] = "status != 'banned'" }, ct);
        var alice = await Users.SignUpAsync(app, "alice@example.com", ct);
        var bob = await Users.SignUpAsync(app, "bob@example.com", ct);
        using var aliceHttp = await Users.SignedInClientAsync(app, "alice@example.com", ct);
        using var bobHttp = await Users.SignedInClientAsync(app, "bob@example.com", ct);
        await using var a = await SseStream.OpenAsync(app.CreateClient(), ct);
        await using var b = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await SubscribeAsync(aliceHttp, a.ClientId, ct, "messages/*"));
        Assert.Equal(204, await SubscribeAsync(bobHttp, b.ClientId, ct, "messages/*"));
        await CreateMessageAsync(su, new { text = "a1", owner = alice }, ct);
        Assert.Equal("a1", (await a.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());

        // Banning alice (her record no longer passes the authRule) makes her stream a guest's: her messages stop.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + alice, new { status = "banned" }, ct)).Status);
        await CreateMessageAsync(su, new { text = "a2", owner = alice }, ct);
        await CreateMessageAsync(su, new { text = "b1", owner = bob }, ct);
        Assert.Equal("b1", (await b.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());

        // Changing the authRule invalidates every token of the collection: bob's stream is a guest's too.
        await Users.PatchCollectionAsync(app, "users", new { authRule = "status != 'blocked'" }, ct);
        await CreateMessageAsync(su, new { text = "b2", owner = bob }, ct);

        // A public message is the next (and only) event of both streams: a2 and b2 were never sent.
        await Users.PatchCollectionAsync(app, "messages", new { listRule = "" }, ct);
        await CreateMessageAsync(su, new { text = "public" }, ct);
        Assert.Equal("public", (await a.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());
        Assert.Equal("public", (await b.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());
        Assert.True(a.IsEmpty);
        Assert.True(b.IsEmpty);

        // Signing in again (a fresh token under the new secret) binds the stream again.
        using var bobAgain = await Users.SignedInClientAsync(app, "bob@example.com", ct);
        Assert.Equal(204, await SubscribeAsync(bobAgain, b.ClientId, ct, "messages/*"));
        await Users.PatchCollectionAsync(app, "messages", new { listRule = "owner = @request.auth.id" }, ct);
        await CreateMessageAsync(su, new { text = "b3", owner = bob }, ct);
        Assert.Equal("b3", (await b.NextAsync(ct)).Json["record"]!["text"]!.GetValue<string>());
    }
}
