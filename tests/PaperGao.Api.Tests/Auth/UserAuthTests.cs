using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Auth;
using static PaperGao.Api.Tests.Auth.Users;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>Users' tokens and passwords: impersonation, manageRule, authRule, token tampering, password rehash.</summary>
public sealed class UserAuthTests(PostgresCluster postgres)
{
    private static JsonNode Payload(string token)
    {
        var p = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Convert.FromBase64String(p.PadRight(p.Length + (4 - p.Length % 4) % 4, '=')))!;
    }

    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Who the token makes the caller: the users id, or null for a guest (auth-refresh answers 401).</summary>
    private static async Task<string?> WhoAsync(PaperGaoApp app, string token, CancellationToken ct)
    {
        using var c = ClientWith(app, token);
        var (s, body) = await SendAsync(c, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct);
        return s == 200 ? body!["record"]!["id"]!.GetValue<string>() : null;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Impersonate_gives_superusers_a_non_refreshable_token(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        await SignUpAsync(app, "bob@x.io", ct);
        var url = "/api/collections/users/impersonate/" + alice;

        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, url, new { }, ct)).Status);
        using (var bob = await SignedInClientAsync(app, "bob@x.io", ct))
            Assert.Equal(403, (await SendAsync(bob, HttpMethod.Post, url, new { }, ct)).Status);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Post, "/api/collections/users/impersonate/nope", new { }, ct)).Status);
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Post, "/api/collections/posts-none/impersonate/" + alice, new { }, ct)).Status);
        var (bad, err) = await SendAsync(su, HttpMethod.Post, url, new { duration = -5 }, ct);
        Assert.Equal(400, bad);
        Assert.NotNull(err!["data"]!["duration"]);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, url, new { duration = "soon" }, ct)).Status);

        var (s, body) = await SendAsync(su, HttpMethod.Post, url, new { duration = 120 }, ct);
        Assert.Equal(200, s);
        Assert.Equal("alice@x.io", body!["record"]!["email"]!.GetValue<string>());
        var token = body["token"]!.GetValue<string>();
        var claims = Payload(token);
        Assert.False(claims["refreshable"]!.GetValue<bool>());
        Assert.Equal(alice, claims["id"]!.GetValue<string>());
        var exp = claims["exp"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(exp, 100, 125);

        // auth-refresh with an impersonation token returns the same token.
        using var imp = ClientWith(app, token);
        var (rs, refreshed) = await SendAsync(imp, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct);
        Assert.Equal(200, rs);
        Assert.Equal(token, refreshed!["token"]!.GetValue<string>());
        // The token acts as alice.
        Assert.Equal(200, (await SendAsync(imp, HttpMethod.Get, "/api/collections/users/records/" + alice, null, ct)).Status);

        // Omitted duration: the collection's auth token duration (5 days for users).
        var (s2, body2) = await SendAsync(su, HttpMethod.Post, url, null, ct);
        Assert.Equal(200, s2);
        Assert.InRange(Payload(body2!["token"]!.GetValue<string>())["exp"]!.GetValue<long>() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 431000, 432000);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Manage_rule_lets_a_manager_set_auth_fields_of_others(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetJsonAsync(su, "/api/collections/users", ct);
        var fields = users["fields"]!.AsArray().DeepClone().AsArray();
        fields.Add(new JsonObject { ["name"] = "role", ["type"] = "select", ["maxSelect"] = 1, ["values"] = new JsonArray("viewer", "admin") });
        await PatchCollectionAsync(app, "users", new JsonObject
        {
            ["fields"] = fields,
            ["createRule"] = "",
            ["viewRule"] = "id = @request.auth.id || @request.auth.role = 'admin' || @request.auth.id != ''",
            ["updateRule"] = "id = @request.auth.id || @request.auth.role = 'admin'",
            ["manageRule"] = "@request.auth.role = 'admin'",
        }, ct);
        var admin = await SignUpAsync(app, "admin@x.io", ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + admin, new { role = "admin" }, ct)).Status);
        using var ad = await SignedInClientAsync(app, "admin@x.io", ct);
        using var al = await SignedInClientAsync(app, "alice@x.io", ct);
        var aliceUrl = "/api/collections/users/records/" + alice;
        Assert.Null((await GetJsonAsync(al, "/api/collections/users/records/" + admin, ct))["email"]);

        // A plain user sees no other email; no verified, no email, no password without oldPassword.
        Assert.Equal(400, (await SendAsync(al, HttpMethod.Patch, aliceUrl, new { verified = true }, ct)).Status);
        Assert.Equal(400, (await SendAsync(al, HttpMethod.Patch, aliceUrl, new { email = "alice2@x.io" }, ct)).Status);
        Assert.Equal(400, (await SendAsync(al, HttpMethod.Patch, aliceUrl, new { password = "New-password-1", passwordConfirm = "New-password-1" }, ct)).Status);

        // The manager: all three.
        var (s, body) = await SendAsync(ad, HttpMethod.Patch, aliceUrl, new { verified = true, email = "alice2@x.io", password = "New-password-1", passwordConfirm = "New-password-1" }, ct);
        Assert.Equal(200, s);
        Assert.True(body!["verified"]!.GetValue<bool>());
        Assert.Equal("alice2@x.io", body["email"]!.GetValue<string>()); // a manager sees the email
        Assert.Equal("alice2@x.io", (await GetJsonAsync(ad, aliceUrl, ct))["email"]!.GetValue<string>());
        Assert.Null(await WhoAsync(app, al.DefaultRequestHeaders.Authorization!.ToString(), ct)); // her old token died
        using var al2 = ClientWith(app, await SignInAsync(app, "alice2@x.io", ct, password: "New-password-1"));

        // Create with verified=true: the manager yes, a plain user and a guest no (400 naming "verified", as PocketBase).
        var (cs, created) = await SendAsync(ad, HttpMethod.Post, "/api/collections/users/records", new { email = "c@x.io", password = Password, passwordConfirm = Password, verified = true }, ct);
        Assert.Equal(200, cs);
        Assert.True(created!["verified"]!.GetValue<bool>());
        Assert.Equal(400, (await SendAsync(al2, HttpMethod.Post, "/api/collections/users/records", new { email = "d@x.io", password = Password, passwordConfirm = Password, verified = true }, ct)).Status);
        var (gs, guestMade) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/records", new { email = "e@x.io", password = Password, passwordConfirm = Password, verified = true }, ct);
        Assert.Equal(400, gs);
        Assert.Equal("validation_values_mismatch", guestMade!["data"]!["verified"]!["code"]!.GetValue<string>());
        var (gs2, guestMade2) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/records", new { email = "e@x.io", password = Password, passwordConfirm = Password, verified = false }, ct);
        Assert.Equal(200, gs2);
        Assert.False(guestMade2!["verified"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Auth_rule_gates_sign_in_and_changing_it_kills_old_tokens(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        var bob = await SignUpAsync(app, "bob@x.io", ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + bob, new { verified = true }, ct)).Status);
        var old = await SignInAsync(app, "alice@x.io", ct);
        Assert.Equal(alice, await WhoAsync(app, old, ct));

        await PatchCollectionAsync(app, "users", new { authRule = "verified = true" }, ct);
        Assert.Null(await WhoAsync(app, old, ct)); // the token secret rotated
        var (s, err) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "alice@x.io", password = Password }, ct);
        Assert.Equal(403, s);
        Assert.Equal("The request doesn't satisfy the collection requirements to authenticate.", err!["message"]!.GetValue<string>());
        var bobToken = await SignInAsync(app, "bob@x.io", ct);
        Assert.Equal(bob, await WhoAsync(app, bobToken, ct));

        await PatchCollectionAsync(app, "users", new { authRule = (string?)null }, ct);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "bob@x.io", password = Password }, ct)).Status);
        // Nothing breaks with MFA options present (MFA itself is not built).
        await PatchCollectionAsync(app, "users", new { authRule = "", mfa = new { enabled = false, duration = 1800, rule = "" } }, ct);
        Assert.NotNull(await SignInAsync(app, "bob@x.io", ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_user_the_auth_rule_stops_accepting_loses_access_with_the_next_request(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetJsonAsync(su, "/api/collections/users", ct);
        var fields = users["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = "status", ["type"] = "text" });
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject { ["fields"] = fields.DeepClone(), ["authRule"] = "status != 'banned'" }, ct)).Status);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        var token = await SignInAsync(app, "alice@x.io", ct);
        Assert.Equal(alice, await WhoAsync(app, token, ct));
        using var asAlice = ClientWith(app, token);
        Assert.Equal(200, (await SendAsync(asAlice, HttpMethod.Get, "/api/collections/users/records/" + alice, null, ct)).Status);

        // Banned: the same, unexpired token is refused at once (the record changed, so no cached answer applies).
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + alice, new { status = "banned" }, ct)).Status);
        var (refresh, err) = await SendAsync(asAlice, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct);
        Assert.Equal(403, refresh);
        Assert.Equal(403, err!["status"]!.GetValue<int>());
        Assert.Equal(404, (await SendAsync(asAlice, HttpMethod.Get, "/api/collections/users/records/" + alice, null, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "alice@x.io", password = Password }, ct)).Status);

        // Unbanned: the token works again (it was never revoked, only refused while the rule said no).
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + alice, new { status = "" }, ct)).Status);
        Assert.Equal(alice, await WhoAsync(app, token, ct));

        // authRule null: nobody may authenticate, so no token is accepted either.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject { ["authRule"] = null }, ct)).Status);
        Assert.Null(await WhoAsync(app, token, ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Forged_expired_and_foreign_tokens_are_guests(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        var good = await SignInAsync(app, "alice@x.io", ct);
        Assert.Equal(alice, await WhoAsync(app, good, ct));
        var parts = good.Split('.');
        var payload = Payload(good);

        // alg none, unsigned.
        var none = B64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        Assert.Null(await WhoAsync(app, none, ct));
        // Wrong signature.
        Assert.Null(await WhoAsync(app, parts[0] + "." + parts[1] + "." + B64Url("not the signature at all, really"), ct));
        // Tampered payload (another id) with the original signature.
        var bob = await SignUpAsync(app, "bob@x.io", ct);
        var tampered = payload.DeepClone();
        tampered["id"] = bob;
        Assert.Null(await WhoAsync(app, parts[0] + "." + B64Url(tampered.ToJsonString()) + "." + parts[2], ct));

        // Correctly signed but expired; signed with another collection's secret.
        var tokenKey = await ReadRawAsync(app, "users", "tokenKey", alice, ct);
        var usersData = JsonNode.Parse((await ReadRawAsync(app, "_collections", "data", "_pb_users_auth_", ct))!)!;
        var suData = JsonNode.Parse((await ReadRawAsync(app, "_collections", "data", "pbc_3142635823", ct))!)!;
        var secret = usersData["authToken"]!["secret"]!.GetValue<string>();
        var otherSecret = suData["authToken"]!["secret"]!.GetValue<string>();
        KeyValuePair<string, object>[] Claims(long exp) =>
        [
            new("collectionId", "_pb_users_auth_"), new("exp", exp), new("id", alice), new("refreshable", true), new("type", "auth"),
        ];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(alice, await WhoAsync(app, Jwt.Sign(Claims(now + 600), tokenKey + secret), ct)); // the recipe is right
        Assert.Null(await WhoAsync(app, Jwt.Sign(Claims(now - 5), tokenKey + secret), ct));
        Assert.Null(await WhoAsync(app, Jwt.Sign(Claims(now + 600), tokenKey + otherSecret), ct));
        Assert.Null(await WhoAsync(app, "garbage", ct));

        // The header is parsed, not compared: {"alg":"HS256"} without "typ" is PocketBase's accepted form; any other
        // alg (a case variant, none, HS512 signed accordingly, a non-object header) is refused.
        var claims = B64Url(new JsonObject { ["collectionId"] = "_pb_users_auth_", ["exp"] = now + 600, ["id"] = alice, ["refreshable"] = true, ["type"] = "auth" }.ToJsonString());
        string WithHeader(string header, Func<byte[], byte[], byte[]> mac)
        {
            var unsigned = B64Url(header) + "." + claims;
            var sig = mac(Encoding.UTF8.GetBytes(tokenKey + secret), Encoding.ASCII.GetBytes(unsigned));
            return unsigned + "." + Convert.ToBase64String(sig).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
        Func<byte[], byte[], byte[]> hs256 = System.Security.Cryptography.HMACSHA256.HashData;
        Assert.Equal(alice, await WhoAsync(app, WithHeader("{\"alg\":\"HS256\"}", hs256), ct));
        Assert.Equal(alice, await WhoAsync(app, WithHeader("{\"typ\":\"JWT\", \"alg\":\"HS256\"}", hs256), ct));
        Assert.Null(await WhoAsync(app, WithHeader("{\"alg\":\"hs256\"}", hs256), ct));
        Assert.Null(await WhoAsync(app, WithHeader("{\"alg\":\"none\"}", hs256), ct));
        Assert.Null(await WhoAsync(app, WithHeader("{\"alg\":\"HS512\"}", System.Security.Cryptography.HMACSHA512.HashData), ct));
        Assert.Null(await WhoAsync(app, WithHeader("[\"HS256\"]", hs256), ct));
        Assert.Null(await WhoAsync(app, WithHeader("{\"typ\":\"JWT\"}", hs256), ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Password_change_kills_old_tokens_and_emails_are_one_identity_whatever_their_case(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        var old = await SignInAsync(app, "alice@x.io", ct);
        using var a = ClientWith(app, old);
        var url = "/api/collections/users/records/" + alice;
        Assert.Equal(400, (await SendAsync(a, HttpMethod.Patch, url, new { password = "New-password-1", passwordConfirm = "New-password-1", oldPassword = "wrong-password" }, ct)).Status);
        Assert.Equal(alice, await WhoAsync(app, old, ct));
        Assert.Equal(200, (await SendAsync(a, HttpMethod.Patch, url, new { password = "New-password-1", passwordConfirm = "New-password-1", oldPassword = Password }, ct)).Status);
        Assert.Null(await WhoAsync(app, old, ct));
        var fresh = await SignInAsync(app, "ALICE@x.io", ct, password: "New-password-1");
        Assert.Equal(alice, await WhoAsync(app, fresh, ct));

        // Sign-up with another case of an existing email: not unique.
        var (s, err) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/records", new { email = "Alice@X.io", password = Password, passwordConfirm = Password }, ct);
        Assert.Equal(400, s);
        Assert.Equal("validation_not_unique", err!["data"]!["email"]!["code"]!.GetValue<string>());

        // Unknown identity and wrong password answer alike.
        const string signIn = "/api/collections/users/auth-with-password";
        var (s1, wrong) = await SendAsync(app.Client, HttpMethod.Post, signIn, new { identity = "alice@x.io", password = "nope-nope-nope" }, ct);
        var (s2, unknown) = await SendAsync(app.Client, HttpMethod.Post, signIn, new { identity = "nobody@x.io", password = "nope-nope-nope" }, ct);
        Assert.Equal(400, s1);
        Assert.Equal(400, s2);
        Assert.True(JsonNode.DeepEquals(wrong, unknown));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_low_cost_hash_verifies_and_is_rehashed_on_sign_in(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetJsonAsync(su, "/api/collections/users", ct);
        JsonArray WithCost(int cost)
        {
            var fields = users["fields"]!.AsArray().DeepClone().AsArray();
            fields.OfType<JsonObject>().Single(f => f["name"]!.GetValue<string>() == "password")["cost"] = cost;
            return fields;
        }
        // A hash as PocketBase imports may carry: cost 4.
        await PatchCollectionAsync(app, "users", new JsonObject { ["fields"] = WithCost(4) }, ct);
        var alice = await SignUpAsync(app, "alice@x.io", ct);
        var weak = await ReadRawAsync(app, "users", "password", alice, ct);
        Assert.StartsWith("$2", weak, StringComparison.Ordinal);
        Assert.Equal(4, PasswordHasher.CostOf(weak));
        var tokenKey = await ReadRawAsync(app, "users", "tokenKey", alice, ct);
        var before = await SignInAsync(app, "alice@x.io", ct);

        await PatchCollectionAsync(app, "users", new JsonObject { ["fields"] = WithCost(0) }, ct);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "alice@x.io", password = "wrong-password" }, ct)).Status);
        Assert.Equal(weak, await ReadRawAsync(app, "users", "password", alice, ct)); // a failed sign-in changes nothing
        await SignInAsync(app, "alice@x.io", ct);
        var strong = await ReadRawAsync(app, "users", "password", alice, ct);
        Assert.Equal(PasswordHasher.DefaultCost, PasswordHasher.CostOf(strong));
        Assert.Equal(tokenKey, await ReadRawAsync(app, "users", "tokenKey", alice, ct)); // same password: sessions live on
        Assert.Equal(alice, await WhoAsync(app, before, ct));
        await SignInAsync(app, "alice@x.io", ct);
        Assert.Equal(strong, await ReadRawAsync(app, "users", "password", alice, ct)); // rehashed once
    }
}
