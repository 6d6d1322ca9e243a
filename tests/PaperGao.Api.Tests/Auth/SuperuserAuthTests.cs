using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

public sealed class SuperuserAuthTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Sign_in_returns_a_pocketbase_token_and_refresh_works(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var token = await app.SuperuserTokenAsync(ct);
        var payload = token.Split('.')[1];
        var json = JsonNode.Parse(Encoding.UTF8.GetBytes(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')).Length > 0
            ? Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=')) : [])!;
        Assert.Equal("auth", json["type"]!.GetValue<string>());
        Assert.Equal("pbc_3142635823", json["collectionId"]!.GetValue<string>());
        Assert.True(json["refreshable"]!.GetValue<bool>());
        Assert.True(json["exp"]!.GetValue<long>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        using var bearer = app.CreateClient();
        bearer.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        var (status, refreshed) = await SendAsync(bearer, HttpMethod.Post, "/api/collections/_superusers/auth-refresh", null, ct);
        Assert.Equal(200, status);
        Assert.Equal(PaperGaoApp.SuperuserEmail, refreshed!["record"]!["email"]!.GetValue<string>());
        Assert.Null(refreshed["record"]!["password"]);
        Assert.Null(refreshed["record"]!["tokenKey"]);

        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/_superusers/auth-refresh", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(bearer, HttpMethod.Get, "/api/settings", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Wrong_credentials_and_bad_input_are_refused_alike(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        await app.SuperuserTokenAsync(ct);
        const string url = "/api/collections/_superusers/auth-with-password";

        var (s1, wrong) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = PaperGaoApp.SuperuserEmail, password = "nope-nope-nope" }, ct);
        var (s2, unknown) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "nobody@x.test", password = "nope-nope-nope" }, ct);
        Assert.Equal(400, s1);
        Assert.Equal(400, s2);
        Assert.True(JsonNode.DeepEquals(wrong, unknown), "unknown and wrong-password answers differ");

        var (s3, upper) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = PaperGaoApp.SuperuserEmail.ToUpperInvariant(), password = PaperGaoApp.SuperuserPassword }, ct);
        Assert.Equal(200, s3); // emails are one identity whatever their case
        Assert.NotNull(upper!["token"]);

        var (s4, missing) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "" }, ct);
        Assert.Equal(400, s4);
        Assert.Equal("validation_required", missing!["data"]!["password"]!["code"]!.GetValue<string>());
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = 5, password = true }, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/nope/auth-with-password", new { identity = "a", password = "b" }, ct)).Status);

        // A token with a forged signature is a guest.
        var token = await app.SuperuserTokenAsync(ct);
        using var forged = app.CreateClient();
        forged.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token[..^4] + "AAAA");
        Assert.Equal(401, (await SendAsync(forged, HttpMethod.Get, "/api/settings", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Settings_patch_validates_and_keeps_secrets_hidden(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { meta = new { appName = "Shop", appURL = "https://shop.test" }, smtp = new { password = "hunter2" } }, ct);
        Assert.Equal(200, status);
        Assert.Equal("Shop", body!["meta"]!["appName"]!.GetValue<string>());
        Assert.DoesNotContain("hunter2", body.ToJsonString(), StringComparison.Ordinal);

        (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { meta = new { appName = "", appURL = "javascript:alert(1)" }, batch = new { maxRequests = -1 } }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["meta"]!["appName"]);
        Assert.NotNull(body["data"]!["meta"]!["appURL"]);
        Assert.NotNull(body["data"]!["batch"]!["maxRequests"]);
        Assert.Equal("Shop", (await GetJsonAsync(su, "/api/settings", ct))["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Get, "/api/settings", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Auth_methods_lists_password_and_refuses_non_auth_collections(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var methods = await GetJsonAsync(app.Client, "/api/collections/users/auth-methods?fields=mfa,otp,password,oauth2", ct);
        Assert.True(methods["password"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(["email"], methods["password"]!["identityFields"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Null(methods["authProviders"]);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "plain", ["type"] = "base" }, ct);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/plain/auth-methods", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/missing/auth-methods", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_auth_record_id_taken_in_another_auth_collection_is_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (_, me) = await SendAsync(su, HttpMethod.Post, "/api/collections/_superusers/auth-refresh", null, ct);
        var superuserId = me!["record"]!["id"]!.GetValue<string>();
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/records",
            new { id = superuserId, email = "twin@example.test", password = "Twin-password-1", passwordConfirm = "Twin-password-1" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_auth_id", body!["data"]!["id"]!["code"]!.GetValue<string>());
        Assert.Equal(0, (await GetJsonAsync(su, "/api/collections/users/records", ct))["totalItems"]!.GetValue<int>());
    }
}
