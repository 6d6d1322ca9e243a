using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Keys;

/// <summary>API keys (docs/api-keys.md; security.md item 13).</summary>
public sealed class ApiKeysTests(PostgresCluster postgres)
{
    private static async Task<(string Id, string Key)> CreateKeyAsync(HttpClient su, object body, CancellationToken ct)
    {
        var (status, json) = await SendAsync(su, HttpMethod.Post, "/api/keys", body, ct);
        Assert.True(status == 200, json?.ToJsonString());
        return (json!["id"]!.GetValue<string>(), json["key"]!.GetValue<string>());
    }

    private static HttpClient KeyClient(PaperGaoApp app, string key, bool bearer)
    {
        var c = app.CreateClient();
        if (bearer) c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
        else c.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", key);
        return c;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Keys_are_created_listed_and_revoked_and_the_secret_is_shown_once(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var (status, created) = await SendAsync(su, HttpMethod.Post, "/api/keys",
            new { name = "reader", scopes = new[] { new { collection = "posts", actions = new[] { "list", "view" } } } }, ct);
        Assert.Equal(200, status);
        var key = created!["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("pgk_", key);
        Assert.Equal(44, key.Length);
        Assert.Equal("posts", created["scopes"]![0]!["collectionName"]!.GetValue<string>());
        Assert.Equal("", created["lastUsed"]!.GetValue<string>());

        var list = await GetJsonAsync(su, "/api/keys", ct);
        var text = list.ToJsonString();
        Assert.Single(list.AsArray());
        Assert.Equal(id, list[0]!["id"]!.GetValue<string>());
        Assert.Null(list[0]!["key"]);
        Assert.DoesNotContain(key[4..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.Ordinal);

        using var client = KeyClient(app, key, bearer: false);
        Assert.Equal(200, (await SendAsync(client, HttpMethod.Get, "/api/collections/posts/records", null, ct)).Status);
        // The last use is recorded in the background: wait for it with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string lastUsed;
        do
        {
            lastUsed = (await GetJsonAsync(su, "/api/keys", ct))[0]!["lastUsed"]!.GetValue<string>();
            if (lastUsed.Length > 0) break;
            await Task.Delay(50, ct);
        } while (DateTime.UtcNow < deadline);
        Assert.NotEqual("", lastUsed);

        Assert.Equal(204, (await SendAsync(su, HttpMethod.Delete, "/api/keys/" + id, null, ct)).Status);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Delete, "/api/keys/" + id, null, ct)).Status);
        var (revoked, body) = await SendAsync(client, HttpMethod.Get, "/api/collections/posts/records", null, ct);
        Assert.Equal(401, revoked);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
        Assert.Empty((await GetJsonAsync(su, "/api/keys", ct)).AsArray());

        // Only superusers manage keys; guests and keys cannot.
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/keys", null, ct)).Status);
        var (_, full) = await CreateKeyAsync(su, new { name = "admin", superuser = true }, ct);
        using var fullClient = KeyClient(app, full, bearer: true);
        Assert.Equal(403, (await SendAsync(fullClient, HttpMethod.Post, "/api/keys", new { name = "x", superuser = true }, ct)).Status);

        // Documented in the OpenAPI document through the endpoint metadata.
        var doc = await GetJsonAsync(app.Client, "/api/openapi.json", ct);
        Assert.Equal("CreateApiKey", doc["paths"]!["/api/keys"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.Equal("ListApiKeys", doc["paths"]!["/api/keys"]!["get"]!["operationId"]!.GetValue<string>());
        Assert.Equal("DeleteApiKey", doc["paths"]!["/api/keys/{id}"]!["delete"]!["operationId"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_superuser_key_acts_as_a_superuser_except_on_the_platform(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, key) = await CreateKeyAsync(su, new { name = "ci", superuser = true }, ct);
        foreach (var bearer in new[] { true, false })
        {
            using var c = KeyClient(app, key, bearer);
            Assert.Equal(200, (await SendAsync(c, HttpMethod.Get, "/api/collections", null, ct)).Status);
            Assert.Equal(200, (await SendAsync(c, HttpMethod.Get, "/api/settings", null, ct)).Status);
            Assert.Equal(200, (await SendAsync(c, HttpMethod.Post, "/api/collections/locked/records", new { title = "k" }, ct)).Status);
            var (s, hidden) = await SendAsync(c, HttpMethod.Post, "/api/collections/authors/records", new { name = "a", secret = "s" }, ct);
            Assert.Equal(200, s);
            Assert.Equal("s", hidden!["secret"]!.GetValue<string>()); // superusers see hidden fields
            Assert.Equal(403, (await SendAsync(c, HttpMethod.Get, "/api/platform/projects", null, ct)).Status);
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_scoped_key_does_exactly_its_actions(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await SendAsync(su, HttpMethod.Patch, "/api/settings", new { batch = new { enabled = true } }, ct);
        var (_, seeded) = await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "seed" }, ct);
        var seedId = seeded!["id"]!.GetValue<string>();
        var (_, other) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "o", secret = "s" }, ct);

        // Read-only on "locked" (whose rules are superuser-only): list and view bypass the rule, writes are 403.
        var (_, readKey) = await CreateKeyAsync(su, new { name = "ro", scopes = new[] { new { collection = "locked", actions = new[] { "list", "view" } } } }, ct);
        using var ro = KeyClient(app, readKey, bearer: true);
        var (ls, listed) = await SendAsync(ro, HttpMethod.Get, "/api/collections/locked/records", null, ct);
        Assert.Equal(200, ls);
        Assert.Equal(1, listed!["totalItems"]!.GetValue<int>());
        Assert.Equal(200, (await SendAsync(ro, HttpMethod.Get, $"/api/collections/locked/records/{seedId}", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Post, "/api/collections/locked/records", new { title = "x" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Patch, $"/api/collections/locked/records/{seedId}", new { title = "x" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Delete, $"/api/collections/locked/records/{seedId}", null, ct)).Status);
        // Nothing else: other collections, collections/settings/keys management, impersonation, batch writes.
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/collections/authors/records", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/collections/locked", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/collections", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/settings", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/keys", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Post, $"/api/collections/_superusers/impersonate/{seedId}", new { }, ct)).Status);
        Assert.Equal(403, (await SendAsync(ro, HttpMethod.Get, "/api/platform/projects", null, ct)).Status);
        var (bs, batch) = await SendAsync(ro, HttpMethod.Post, "/api/batch",
            new { requests = new[] { new { method = "POST", url = "/api/collections/locked/records", body = new { title = "b" } } } }, ct);
        Assert.Equal(403, bs);
        Assert.Equal(403, batch!["status"]!.GetValue<int>());
        // The key is no superuser: hidden fields and @collection stay out of reach in its filters.
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/locked/records", ct))["totalItems"]!.GetValue<int>());

        // A writer on "locked" (create + update + delete, no read) and nothing on authors.
        var (_, writeKey) = await CreateKeyAsync(su, new { name = "rw", scopes = new[] { new { collection = "locked", actions = new[] { "create", "update", "delete" } } } }, ct);
        using var rw = KeyClient(app, writeKey, bearer: false);
        var (cs, made) = await SendAsync(rw, HttpMethod.Post, "/api/collections/locked/records", new { title = "w" }, ct);
        Assert.Equal(200, cs);
        var madeId = made!["id"]!.GetValue<string>();
        Assert.Equal(200, (await SendAsync(rw, HttpMethod.Patch, $"/api/collections/locked/records/{madeId}", new { title = "w2" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(rw, HttpMethod.Get, "/api/collections/locked/records", null, ct)).Status);
        var (okBatch, results) = await SendAsync(rw, HttpMethod.Post, "/api/batch",
            new { requests = new object[] { new { method = "POST", url = "/api/collections/locked/records", body = new { title = "b1" } }, new { method = "DELETE", url = $"/api/collections/locked/records/{madeId}" } } }, ct);
        Assert.Equal(200, okBatch);
        Assert.Equal(2, results!.AsArray().Count);
        var (mixed, _) = await SendAsync(rw, HttpMethod.Post, "/api/batch",
            new { requests = new object[] { new { method = "POST", url = "/api/collections/locked/records", body = new { title = "b2" } }, new { method = "DELETE", url = $"/api/collections/authors/records/{other!["id"]}" } } }, ct);
        Assert.Equal(403, mixed);
        Assert.Equal(403, (await SendAsync(rw, HttpMethod.Delete, $"/api/collections/authors/records/{other["id"]}", null, ct)).Status);
        Assert.Equal(204, (await SendAsync(rw, HttpMethod.Delete, $"/api/collections/locked/records/{seedId}", null, ct)).Status);
        // seed deleted, "w" deleted by the batch, "b1" created; the refused batch wrote nothing.
        var left = await GetJsonAsync(su, "/api/collections/locked/records", ct);
        Assert.Equal(1, left["totalItems"]!.GetValue<int>());
        Assert.Equal("b1", left["items"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/authors/records", ct))["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_scoped_key_cannot_reach_other_collections_through_expand_or_filters(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var lockedId = (await GetJsonAsync(su, "/api/collections/locked", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "refs", ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "target", ["type"] = "relation", ["collectionId"] = lockedId, ["maxSelect"] = 1 }),
        }, ct);
        var (_, secret) = await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "classified" }, ct);
        var (_, reference) = await SendAsync(su, HttpMethod.Post, "/api/collections/refs/records", new { target = secret!["id"]!.GetValue<string>() }, ct);
        var refId = reference!["id"]!.GetValue<string>();
        var (_, key) = await CreateKeyAsync(su, new { name = "refs", scopes = new[] { new { collection = "refs", actions = new[] { "list", "view" } } } }, ct);
        using var c = KeyClient(app, key, bearer: true);

        var (ls, list) = await SendAsync(c, HttpMethod.Get, "/api/collections/refs/records?expand=target", null, ct);
        Assert.Equal(200, ls);
        Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
        Assert.Null(list["items"]![0]!["expand"]?["target"]); // "locked" keeps its superuser-only rules
        var (vs, view) = await SendAsync(c, HttpMethod.Get, $"/api/collections/refs/records/{refId}?expand=target", null, ct);
        Assert.Equal(200, vs);
        Assert.Null(view!["expand"]?["target"]);

        // No boolean oracle on the locked collection through a relation filter or @collection.
        foreach (var filter in new[] { "target.title='classified'", "@collection.locked.title='classified'" })
        {
            var (fs, filtered) = await SendAsync(c, HttpMethod.Get, "/api/collections/refs/records?filter=" + Uri.EscapeDataString(filter), null, ct);
            Assert.True(fs is 400 or 403 || (fs == 200 && filtered!["totalItems"]!.GetValue<int>() == 0), $"{filter}: {fs} {filtered?.ToJsonString()}");
        }
        var (ss, bySu) = await SendAsync(su, HttpMethod.Get, "/api/collections/refs/records?filter=" + Uri.EscapeDataString("target.title='classified'"), null, ct);
        Assert.Equal(200, ss);
        Assert.Equal(1, bySu!["totalItems"]!.GetValue<int>()); // the filter itself is right
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Unknown_expired_and_malformed_keys_are_401(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        // The server's clock is a fake one the test moves (no waiting for the expiry on the wall clock).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await PaperGaoApp.StartAsync(db, postgres, clock, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, key) = await CreateKeyAsync(su, new { name = "soon", superuser = true, expires = clock.GetUtcNow().AddMinutes(10).ToString("yyyy-MM-dd HH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) }, ct);
        using var c = KeyClient(app, key, bearer: false);
        Assert.Equal(200, (await SendAsync(c, HttpMethod.Get, "/api/collections", null, ct)).Status);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(200, (await SendAsync(c, HttpMethod.Get, "/api/collections", null, ct)).Status);
        clock.Advance(TimeSpan.FromMinutes(2));
        var status = (await SendAsync(c, HttpMethod.Get, "/api/collections", null, ct)).Status;
        Assert.Equal(401, status);

        var tampered = key[..^1] + (key[^1] == 'a' ? 'b' : 'a');
        foreach (var bad in new[] { tampered, "pgk_short", "pgk_" + new string('a', 40), "pgk_../../etc/passwd" + new string('x', 20) })
        {
            using var b = KeyClient(app, bad, bearer: true);
            var (s, body) = await SendAsync(b, HttpMethod.Get, "/api/collections/posts/records", null, ct);
            Assert.Equal(401, s);
            Assert.Equal(401, body!["status"]!.GetValue<int>());
            Assert.DoesNotContain(bad, body.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_key_input_is_400_with_field_errors(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        async Task<JsonNode> Bad(object body)
        {
            var (s, json) = await SendAsync(su, HttpMethod.Post, "/api/keys", body, ct);
            Assert.Equal(400, s);
            return json!["data"]!;
        }
        Assert.Equal("validation_required", (await Bad(new { name = "", superuser = true }))["name"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_required", (await Bad(new { name = "x" }))["scopes"]!["code"]!.GetValue<string>());
        var unknown = await Bad(new { name = "x", scopes = new[] { new { collection = "nope", actions = new[] { "list" } } } });
        Assert.Equal("validation_unknown_collection", unknown["scopes"]!["0"]!["collection"]!["code"]!.GetValue<string>());
        var action = await Bad(new { name = "x", scopes = new[] { new { collection = "posts", actions = new[] { "list", "truncate" } } } });
        Assert.Equal("validation_invalid_action", action["scopes"]!["0"]!["actions"]!["code"]!.GetValue<string>());
        var past = await Bad(new { name = "x", superuser = true, expires = "2001-01-01 00:00:00.000Z" });
        Assert.Equal("validation_date_in_past", past["expires"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_invalid_date", (await Bad(new { name = "x", superuser = true, expires = "tomorrow" }))["expires"]!["code"]!.GetValue<string>());
        Assert.NotNull((await Bad(new { name = "x", superuser = true, scopes = new[] { new { collection = "posts", actions = new[] { "list" } } } }))["scopes"]);
        Assert.NotNull((await Bad(new { name = 5, superuser = "yes" }))["superuser"]);
        Assert.Empty((await GetJsonAsync(su, "/api/keys", ct)).AsArray());
    }
}
