using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>OAuth2 sign-in (protocol.md §5.3, §5.5a) against a real OpenID Connect server on 127.0.0.1.</summary>
public sealed class OAuth2Tests(PostgresCluster postgres)
{
    private const string Redirect = "https://app.example.test/oauth2-redirect";
    private const string ClientSecret = "Client-secret-never-shown";
    private const string AuthUrl = "/api/collections/members/auth-with-oauth2";

    private sealed record Env(PaperGaoApp App, OAuthTestServer Oauth, HttpClient Su) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Oauth.DisposeAsync();
        }
    }

    private static async Task<Env> StartAsync(DatabaseKind db, PostgresCluster postgres, CancellationToken ct, TimeProvider? time = null)
    {
        var oauth = await OAuthTestServer.StartAsync(ct);
        var app = time is null ? await PaperGaoApp.StartAsync(db, postgres, ct) : await PaperGaoApp.StartAsync(db, postgres, time, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "members", ["type"] = "auth", ["createRule"] = "", ["authRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = "text" }),
            ["oauth2"] = new JsonObject
            {
                ["enabled"] = true,
                ["mappedFields"] = new JsonObject { ["name"] = "name" },
                ["providers"] = new JsonArray(
                    // generic OIDC through the discovery document: issuer, audience and signature of the id_token checked
                    new JsonObject { ["name"] = "oidc", ["clientId"] = "papergao-client", ["clientSecret"] = ClientSecret, ["extra"] = new JsonObject { ["issuer"] = oauth.Url } },
                    // same server, but an issuer that the id_token won't carry
                    new JsonObject
                    {
                        ["name"] = "oidc2", ["clientId"] = "papergao-client", ["clientSecret"] = ClientSecret,
                        ["authURL"] = oauth.Url + "/authorize", ["tokenURL"] = oauth.Url + "/token", ["userInfoURL"] = oauth.Url + "/userinfo",
                        ["extra"] = new JsonObject { ["issuer"] = "https://other-issuer.example.test", ["jwksURL"] = oauth.Url + "/jwks" },
                    }),
            },
        }, ct);
        return new Env(app, oauth, su);
    }

    private static JsonObject User(string sub, string email, bool verified, string name = "") =>
        new() { ["sub"] = sub, ["email"] = email, ["email_verified"] = verified, ["name"] = name };

    private static async Task<JsonObject> ProviderAsync(HttpClient client, string name, CancellationToken ct)
    {
        var methods = await GetJsonAsync(client, "/api/collections/members/auth-methods?fields=mfa,otp,password,oauth2", ct);
        Assert.True(methods["oauth2"]!["enabled"]!.GetValue<bool>());
        return methods["oauth2"]!["providers"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!.AsObject();
    }

    /// <summary>auth-methods → the provider's authorize endpoint → code; the body for auth-with-oauth2.</summary>
    private static async Task<JsonObject> CodeBodyAsync(Env env, JsonObject user, CancellationToken ct, string provider = "oidc", bool failToken = false)
    {
        var p = await ProviderAsync(env.App.Client, provider, ct);
        var code = await OAuthTestServer.AuthorizeAsync(p["authURL"]!.GetValue<string>(), Redirect, user, ct, failToken);
        return new JsonObject { ["provider"] = provider, ["code"] = code, ["codeVerifier"] = p["codeVerifier"]!.GetValue<string>(), ["redirectURL"] = Redirect };
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Sign_up_creates_a_verified_record_and_the_next_sign_in_finds_it(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);

        var p = await ProviderAsync(env.App.Client, "oidc", ct);
        var authUrl = p["authURL"]!.GetValue<string>();
        Assert.StartsWith(env.Oauth.Url + "/authorize?", authUrl, StringComparison.Ordinal);
        Assert.EndsWith("&redirect_uri=", authUrl, StringComparison.Ordinal);
        Assert.Equal(30, p["state"]!.GetValue<string>().Length);
        Assert.Equal("S256", p["codeChallengeMethod"]!.GetValue<string>());
        var verifier = p["codeVerifier"]!.GetValue<string>();
        Assert.Equal(43, verifier.Length);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(challenge, p["codeChallenge"]!.GetValue<string>());
        Assert.Contains("code_challenge=" + challenge, authUrl, StringComparison.Ordinal);
        var collection = await GetJsonAsync(env.Su, "/api/collections/members", ct);
        Assert.DoesNotContain(ClientSecret, collection.ToJsonString(), StringComparison.Ordinal);

        var (status, first) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-1", "New@X.test", true, "New User"), ct), ct);
        Assert.Equal(200, status);
        Assert.True(first!["meta"]!["isNew"]!.GetValue<bool>());
        Assert.Equal("sub-1", first["meta"]!["id"]!.GetValue<string>());
        Assert.Equal("sub-1", first["meta"]!["rawUser"]!["sub"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(first["meta"]!["accessToken"]!.GetValue<string>()));
        Assert.Equal("New@X.test", first["record"]!["email"]!.GetValue<string>());
        Assert.True(first["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal("New User", first["record"]!["name"]!.GetValue<string>());
        var id = first["record"]!["id"]!.GetValue<string>();

        var links = await GetJsonAsync(env.Su, "/api/collections/_externalAuths/records", ct);
        var link = Assert.Single(links["items"]!.AsArray())!;
        Assert.Equal(id, link["recordRef"]!.GetValue<string>());
        Assert.Equal("oidc", link["provider"]!.GetValue<string>());
        Assert.Equal("sub-1", link["providerId"]!.GetValue<string>());

        // The same provider account signs in to the same record, even if the provider's email changed meanwhile.
        var (status2, second) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-1", "changed@x.test", false), ct), ct);
        Assert.Equal(200, status2);
        Assert.False(second!["meta"]!["isNew"]!.GetValue<bool>());
        Assert.Equal(id, second["record"]!["id"]!.GetValue<string>());

        using var bearer = env.App.CreateClient();
        bearer.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", second["token"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(bearer, HttpMethod.Post, "/api/collections/members/auth-refresh", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Accounts_are_linked_by_verified_email_only_and_never_hijacked(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);
        var (s0, verified) = await SendAsync(env.Su, HttpMethod.Post, "/api/collections/members/records",
            new { email = "owner@x.test", password = "Owner-pass-123", passwordConfirm = "Owner-pass-123", verified = true }, ct);
        Assert.Equal(200, s0);
        var (s1, victim) = await SendAsync(env.App.Client, HttpMethod.Post, "/api/collections/members/records",
            new { email = "victim@x.test", password = "Squatter-pass-1", passwordConfirm = "Squatter-pass-1" }, ct);
        Assert.Equal(200, s1);
        Assert.False(victim!["verified"]!.GetValue<bool>());

        // Verified provider email, verified account: linked (case-insensitively).
        var (s2, linked) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-owner", "OWNER@x.test", true), ct), ct);
        Assert.Equal(200, s2);
        Assert.Equal(verified!["id"]!.GetValue<string>(), linked!["record"]!["id"]!.GetValue<string>());
        Assert.False(linked["meta"]!["isNew"]!.GetValue<bool>());

        // Provider does not vouch for the email: no link to the existing account (item 3).
        var (s3, refused) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-x", "victim@x.test", false), ct), ct);
        Assert.Equal(400, s3);
        Assert.Equal("Failed to authenticate.", refused!["message"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(env.App.Client, HttpMethod.Post, "/api/collections/members/auth-with-password", new { identity = "victim@x.test", password = "Squatter-pass-1" }, ct)).Status);

        // Verified provider email, unverified account registered by someone else (item 1): the real owner gets
        // the account, the squatter's password stops working.
        var (s4, owner) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-victim", "victim@x.test", true), ct), ct);
        Assert.Equal(200, s4);
        Assert.Equal(victim["id"]!.GetValue<string>(), owner!["record"]!["id"]!.GetValue<string>());
        Assert.True(owner["record"]!["verified"]!.GetValue<bool>());
        Assert.Equal(400, (await SendAsync(env.App.Client, HttpMethod.Post, "/api/collections/members/auth-with-password", new { identity = "victim@x.test", password = "Squatter-pass-1" }, ct)).Status);

        // createData.email differing from the provider's email (item 2): stored unverified, not linked to the other account.
        var body = await CodeBodyAsync(env, User("sub-other", "mine@x.test", true), ct);
        body["createData"] = new JsonObject { ["email"] = "someone-else@x.test" };
        var (s5, created) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, body, ct);
        Assert.Equal(200, s5);
        Assert.Equal("someone-else@x.test", created!["record"]!["email"]!.GetValue<string>());
        Assert.False(created["record"]!["verified"]!.GetValue<bool>());
        Assert.True(created["meta"]!["isNew"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_codes_verifiers_redirects_and_providers_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);

        // Wrong PKCE verifier: the provider refuses the exchange.
        var body = await CodeBodyAsync(env, User("sub-1", "a@x.test", true), ct);
        body["codeVerifier"] = new string('a', 43);
        var (s1, wrongVerifier) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, body, ct);
        Assert.Equal(400, s1);
        Assert.Equal("Failed to fetch OAuth2 token.", wrongVerifier!["message"]!.GetValue<string>());

        // A code used twice (item 11): the second exchange fails.
        var once = await CodeBodyAsync(env, User("sub-2", "b@x.test", true), ct);
        Assert.Equal(200, (await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, once, ct)).Status);
        Assert.Equal(400, (await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, once, ct)).Status);

        // Unknown provider.
        var unknown = await CodeBodyAsync(env, User("sub-3", "c@x.test", true), ct);
        unknown["provider"] = "myspace";
        var (s3, unknownBody) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, unknown, ct);
        Assert.Equal(400, s3);
        Assert.Equal("validation_invalid_provider", unknownBody!["data"]!["provider"]!["code"]!.GetValue<string>());

        // Redirect URLs that are not plain http(s) (item 10). An empty one is allowed, as in PocketBase: the provider decides.
        foreach (var bad in (string[])["javascript:alert(1)", "https://good.test@evil.test/cb", "/relative/cb", "file:///etc/passwd", "https://app.test/cb#frag"])
        {
            var b = await CodeBodyAsync(env, User("sub-4", "d@x.test", true), ct);
            b["redirectURL"] = bad;
            var (s, e) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, b, ct);
            Assert.True(s == 400, $"{bad} answered {s}");
            Assert.NotNull(e!["data"]!["redirectURL"]);
        }

        // Missing fields and wrong types.
        var (s5, missing) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, new { provider = "oidc", createData = 5 }, ct);
        Assert.Equal(400, s5);
        Assert.Equal("validation_required", missing!["data"]!["code"]!["code"]!.GetValue<string>());
        Assert.NotNull(missing["data"]!["createData"]);

        // Provider down (500 with a body): 400 without its body (item 31).
        var (s6, down) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-5", "e@x.test", true), ct, failToken: true), ct);
        Assert.Equal(400, s6);
        Assert.Equal("Failed to fetch OAuth2 token.", down!["message"]!.GetValue<string>());
        Assert.DoesNotContain("PROVIDER-SECRET", down.ToJsonString(), StringComparison.Ordinal);

        // id_token from an unexpected issuer (item 4): refused, nothing created.
        var (s7, issuer) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("sub-6", "f@x.test", true), ct, provider: "oidc2"), ct);
        Assert.Equal(400, s7);
        Assert.Equal("Failed to fetch OAuth2 user.", issuer!["message"]!.GetValue<string>());
        var emails = (await GetJsonAsync(env.Su, "/api/collections/members/records?filter=" + Uri.EscapeDataString("email='f@x.test'"), ct))["items"]!.AsArray();
        Assert.Empty(emails);

        // Disabled OAuth2: 403. Superusers never sign up through OAuth2.
        var (sp, _) = await SendAsync(env.Su, HttpMethod.Patch, "/api/collections/members", new { oauth2 = new { enabled = false } }, ct);
        Assert.Equal(200, sp);
        Assert.Equal(403, (await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, new { provider = "oidc", code = "x", redirectURL = Redirect }, ct)).Status);
        var methods = await GetJsonAsync(env.App.Client, "/api/collections/members/auth-methods", ct);
        Assert.False(methods["oauth2"]!["enabled"]!.GetValue<bool>());
        Assert.Empty(methods["oauth2"]!["providers"]!.AsArray());

        // A provider with a bad name is refused when saving.
        var (s8, saveErr) = await SendAsync(env.Su, HttpMethod.Patch, "/api/collections/members",
            new { oauth2 = new { enabled = true, providers = new[] { new { name = "myspace", clientId = "x" } } } }, ct);
        Assert.Equal(400, s8);
        Assert.NotNull(saveErr!["data"]!["oauth2"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Built_in_providers_link_by_email_only_when_they_say_it_is_verified(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);
        JsonObject Provider(string name) => new()
        {
            ["name"] = name, ["clientId"] = "papergao-client", ["clientSecret"] = ClientSecret,
            ["authURL"] = env.Oauth.Url + "/authorize", ["tokenURL"] = env.Oauth.Url + "/token", ["userInfoURL"] = env.Oauth.Url + "/userinfo",
        };
        var (sp, patched) = await SendAsync(env.Su, HttpMethod.Patch, "/api/collections/members",
            new JsonObject { ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = new JsonArray(Provider("discord"), Provider("github")) } }, ct);
        Assert.True(sp == 200, patched?.ToJsonString());
        var (s0, owner) = await SendAsync(env.Su, HttpMethod.Post, "/api/collections/members/records",
            new { email = "owner@x.test", password = "Owner-pass-123", passwordConfirm = "Owner-pass-123", verified = true }, ct);
        Assert.Equal(200, s0);

        // Discord's user JSON with verified:false must not take over the account with that email.
        var discordUnverified = new JsonObject { ["id"] = "d-1", ["username"] = "dee", ["email"] = "owner@x.test", ["verified"] = false };
        Assert.Equal(400, (await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, discordUnverified, ct, provider: "discord"), ct)).Status);

        // GitHub: the /user email is not a verified one (no /user/emails answer here): no link either.
        var github = new JsonObject { ["id"] = 4242, ["login"] = "octo", ["email"] = "owner@x.test" };
        Assert.Equal(400, (await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, github, ct, provider: "github"), ct)).Status);
        var links = await GetJsonAsync(env.Su, "/api/collections/_externalAuths/records", ct);
        Assert.Empty(links["items"]!.AsArray());

        // Discord with verified:true links to the owner; the numeric GitHub id becomes a string id for a new user.
        var discordVerified = new JsonObject { ["id"] = "d-2", ["username"] = "dee", ["global_name"] = "Dee", ["email"] = "owner@x.test", ["verified"] = true };
        var (s1, linked) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, discordVerified, ct, provider: "discord"), ct);
        Assert.Equal(200, s1);
        Assert.Equal(owner!["id"]!.GetValue<string>(), linked!["record"]!["id"]!.GetValue<string>());
        Assert.Equal("Dee", linked["meta"]!["name"]!.GetValue<string>());
        var (s2, fresh) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl,
            await CodeBodyAsync(env, new JsonObject { ["id"] = 77, ["login"] = "newbie", ["email"] = "newbie@x.test" }, ct, provider: "github"), ct);
        Assert.Equal(200, s2);
        Assert.Equal("77", fresh!["meta"]!["id"]!.GetValue<string>());
        Assert.Equal("newbie", fresh["meta"]!["username"]!.GetValue<string>());
        Assert.False(fresh["record"]!["verified"]!.GetValue<bool>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Apple_style_sign_in_reads_the_user_from_a_checked_id_token(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);
        var apple = new JsonObject
        {
            ["name"] = "apple", ["clientId"] = "papergao-client", ["clientSecret"] = ClientSecret,
            ["authURL"] = env.Oauth.Url + "/authorize", ["tokenURL"] = env.Oauth.Url + "/token",
            ["extra"] = new JsonObject { ["issuer"] = env.Oauth.Url, ["jwksURL"] = env.Oauth.Url + "/jwks" },
        };
        var (sp, patched) = await SendAsync(env.Su, HttpMethod.Patch, "/api/collections/members",
            new JsonObject { ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = new JsonArray(apple) } }, ct);
        Assert.True(sp == 200, patched?.ToJsonString());
        var p = await ProviderAsync(env.App.Client, "apple", ct);
        Assert.Contains("response_mode=form_post", p["authURL"]!.GetValue<string>(), StringComparison.Ordinal);

        var (s1, ok) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl,
            await CodeBodyAsync(env, new JsonObject { ["sub"] = "apple-1", ["email"] = "fruit@x.test", ["email_verified"] = "true" }, ct, provider: "apple"), ct);
        Assert.True(s1 == 200, ok?.ToJsonString());
        Assert.Equal("fruit@x.test", ok!["record"]!["email"]!.GetValue<string>());
        Assert.True(ok["record"]!["verified"]!.GetValue<bool>());

        // An id_token issued for another client (audience) or by another issuer is refused (security.md item 4).
        foreach (var forged in (JsonObject[])[
            new() { ["sub"] = "apple-2", ["email"] = "aud@x.test", ["email_verified"] = true, ["aud"] = "someone-else" },
            new() { ["sub"] = "apple-3", ["email"] = "iss@x.test", ["email_verified"] = true, ["iss"] = "https://evil.example.test" }])
        {
            var (s, e) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, forged, ct, provider: "apple"), ct);
            Assert.Equal(400, s);
            Assert.Equal("Failed to fetch OAuth2 user.", e!["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_id_token_without_the_nonce_of_its_code_verifier_is_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);

        // The authorization URL carries the nonce made from this flow's code verifier (nothing is stored server-side).
        var p = await ProviderAsync(env.App.Client, "oidc", ct);
        var nonce = OAuth2NonceOf(p["codeVerifier"]!.GetValue<string>());
        Assert.Contains("&nonce=" + nonce + "&", p["authURL"]!.GetValue<string>(), StringComparison.Ordinal);

        // An id_token with another nonce (replayed from another flow) or none at all: refused, nothing created.
        foreach (var (sub, forged) in (ValueTuple<string, JsonNode?>[])[("n-1", JsonValue.Create("replayed-nonce")), ("n-2", null)])
        {
            var user = User(sub, sub + "@x.test", true);
            user["nonce"] = forged;
            var (s, e) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, user, ct), ct);
            Assert.Equal(400, s);
            Assert.Equal("Failed to fetch OAuth2 user.", e!["message"]!.GetValue<string>());
        }

        Assert.Empty((await GetJsonAsync(env.Su, "/api/collections/members/records", ct))["items"]!.AsArray());

        // The provider's id_token echoes the nonce of the authorize request: accepted.
        var (ok, signedIn) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("n-4", "n-4@x.test", true), ct), ct);
        Assert.True(ok == 200, signedIn?.ToJsonString());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_id_token_past_its_expiry_on_the_server_clock_is_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var env = await StartAsync(db, postgres, ct, clock);
        var (ok, signedIn) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("t-1", "t-1@x.test", true), ct), ct);
        Assert.True(ok == 200, signedIn?.ToJsonString());

        // The provider's id_tokens live an hour from its (real) clock; two hours later on the server's clock they
        // are expired (beyond the 60 s of leeway): refused, nothing created.
        clock.Advance(TimeSpan.FromHours(2));
        var (s, e) = await SendAsync(env.App.Client, HttpMethod.Post, AuthUrl, await CodeBodyAsync(env, User("t-2", "t-2@x.test", true), ct), ct);
        Assert.Equal(400, s);
        Assert.Equal("Failed to fetch OAuth2 user.", e!["message"]!.GetValue<string>());
        Assert.Single((await GetJsonAsync(env.Su, "/api/collections/members/records", ct))["items"]!.AsArray());
    }

    private static string OAuth2NonceOf(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("papergao-oidc-nonce:" + verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Theory]
    [DatabaseMatrix]
    public async Task Superusers_cannot_sign_up_with_oauth2(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(db, postgres, ct);
        var (sp, patched) = await SendAsync(env.Su, HttpMethod.Patch, "/api/collections/_superusers", new
        {
            oauth2 = new { enabled = true, providers = new[] { new { name = "oidc", clientId = "papergao-client", clientSecret = "s", extra = new { issuer = env.Oauth.Url } } } },
        }, ct);
        Assert.True(sp == 200, patched?.ToJsonString());
        var methods = await GetJsonAsync(env.App.Client, "/api/collections/_superusers/auth-methods", ct);
        var p = methods["oauth2"]!["providers"]!.AsArray().Single()!;
        var code = await OAuthTestServer.AuthorizeAsync(p["authURL"]!.GetValue<string>(), Redirect, User("sub-su", "intruder@x.test", true), ct);
        var (s, body) = await SendAsync(env.App.Client, HttpMethod.Post, "/api/collections/_superusers/auth-with-oauth2",
            new { provider = "oidc", code, codeVerifier = p["codeVerifier"]!.GetValue<string>(), redirectURL = Redirect }, ct);
        Assert.Equal(400, s);
        Assert.Equal("Failed to authenticate.", body!["message"]!.GetValue<string>());
        var list = await GetJsonAsync(env.Su, "/api/collections/_superusers/records", ct);
        Assert.DoesNotContain("intruder@x.test", list.ToJsonString(), StringComparison.Ordinal);
    }
}
