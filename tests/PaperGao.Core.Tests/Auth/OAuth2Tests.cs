using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Core.Auth.OAuth2;

namespace PaperGao.Core.Tests.Auth;

public class OAuth2Tests
{
    [Theory]
    [InlineData("https://app.example.test/cb", true)]
    [InlineData("http://127.0.0.1:8090/api/oauth2-redirect", true)]
    [InlineData("https://app.example.test/cb?x=1", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("https://good.test@evil.test/cb", false)]
    [InlineData("https://good.test:pw@evil.test/cb", false)]
    [InlineData("https://app.example.test/cb#frag", false)]
    [InlineData("/relative", false)]
    [InlineData("//evil.test/cb", false)]
    [InlineData("file:///etc/passwd", false)]
    [InlineData("ftp://x.test/", false)]
    [InlineData("https://evil.test\\@good.test/", false)]
    [InlineData("https://app.example.test/c b", false)]
    [InlineData("", false)]
    public void Only_plain_absolute_http_urls_are_accepted(string url, bool ok) => Assert.Equal(ok, OAuth2Http.IsHttpUrl(url));

    private static JsonObject Extra(params JsonObject[] providers) =>
        new() { ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = new JsonArray(providers) } };

    [Fact]
    public void Save_validation_refuses_unknown_duplicated_and_incomplete_providers()
    {
        Assert.Null(OAuth2Config.Validate(Extra(new JsonObject { ["name"] = "google", ["clientId"] = "a" })));
        Assert.Null(OAuth2Config.Validate(new JsonObject()));
        var errors = OAuth2Config.Validate(Extra(
            new JsonObject { ["name"] = "myspace", ["clientId"] = "a" },
            new JsonObject { ["name"] = "google", ["clientId"] = "" },
            new JsonObject { ["name"] = "google", ["clientId"] = "b", ["tokenURL"] = "javascript:x" }));
        Assert.NotNull(errors);
        var providers = Assert.IsType<PaperGao.Core.Common.ErrorData>(errors!["providers"]);
        Assert.True(providers.Contains("0"));
        Assert.True(providers.Contains("1"));
        Assert.True(providers.Contains("2"));
    }

    [Fact]
    public async Task The_authorization_url_ends_with_redirect_uri_and_carries_an_s256_challenge()
    {
        var config = OAuth2Config.From(Extra(new JsonObject { ["name"] = "google", ["clientId"] = "id 1", ["clientSecret"] = "the-client-secret" }));
        var client = await OAuth2Client.ResolveAsync(config.Providers[0], TimeProvider.System, TestContext.Current.CancellationToken);
        Assert.NotNull(client);
        var (url, verifier, challenge) = client!.BuildAuthUrl("state123");
        Assert.StartsWith("https://accounts.google.com/o/oauth2/v2/auth?client_id=id%201&", url, StringComparison.Ordinal);
        Assert.EndsWith("&state=state123&redirect_uri=", url, StringComparison.Ordinal);
        Assert.Equal(43, verifier.Length);
        Assert.Equal(OAuth2Client.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))), challenge);
        Assert.Contains("code_challenge=" + challenge + "&code_challenge_method=S256", url, StringComparison.Ordinal);
        Assert.DoesNotContain("the-client-secret", url, StringComparison.Ordinal); // the secret never goes to the browser

        var noPkce = OAuth2Config.From(Extra(new JsonObject { ["name"] = "github", ["clientId"] = "x", ["pkce"] = false }));
        var (url2, v2, c2) = (await OAuth2Client.ResolveAsync(noPkce.Providers[0], TimeProvider.System, TestContext.Current.CancellationToken))!.BuildAuthUrl("s");
        Assert.Equal("", v2);
        Assert.Equal("", c2);
        Assert.DoesNotContain("code_challenge", url2, StringComparison.Ordinal);

        // Unknown provider, missing client id, or an oidc provider without endpoints or issuer: no client.
        Assert.Null(await OAuth2Client.ResolveAsync(OAuth2Config.From(Extra(new JsonObject { ["name"] = "myspace", ["clientId"] = "x" })).Providers[0], TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Null(await OAuth2Client.ResolveAsync(OAuth2Config.From(Extra(new JsonObject { ["name"] = "google" })).Providers[0], TimeProvider.System, TestContext.Current.CancellationToken));
        Assert.Null(await OAuth2Client.ResolveAsync(OAuth2Config.From(Extra(new JsonObject { ["name"] = "oidc", ["clientId"] = "x" })).Providers[0], TimeProvider.System, TestContext.Current.CancellationToken));
    }

    private static string B64(string json) => OAuth2Client.Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Token(string alg, JsonObject claims) => B64($"{{\"alg\":\"{alg}\",\"kid\":\"k\"}}") + "." + B64(claims.ToJsonString()) + ".c2ln";

    [Fact]
    public async Task Id_tokens_with_a_wrong_algorithm_issuer_audience_or_expiry_are_refused_before_any_key_lookup()
    {
        var ct = TestContext.Current.CancellationToken;
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        // The JWKS URL points nowhere: each case must be refused on its claims alone.
        const string jwks = "http://127.0.0.1:1/jwks";
        JsonObject Claims(string iss = "https://issuer.test", JsonNode? aud = null, long? e = null) =>
            new() { ["iss"] = iss, ["aud"] = aud ?? "client", ["sub"] = "u1", ["exp"] = e ?? exp };
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("none", Claims()), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("HS256", Claims()), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("RS256", Claims(iss: "https://evil.test")), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("RS256", Claims(aud: "other")), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("RS256", Claims(aud: new JsonArray("other", "x"))), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("RS256", Claims(e: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds())), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync("not.a.jwt!", "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        Assert.Null(await IdTokenValidator.ValidateAsync("a.b", "https://issuer.test", "client", jwks, TimeProvider.System, ct));
        // Claims fine but the key set unreachable: refused too.
        Assert.Null(await IdTokenValidator.ValidateAsync(Token("RS256", Claims()), "https://issuer.test", "client", jwks, TimeProvider.System, ct));
    }

    [Fact]
    public void Provider_users_map_to_strings_and_verified_flags()
    {
        var discord = OAuth2Providers.Find("discord")!.Map(new JsonObject { ["id"] = "9", ["username"] = "u", ["avatar"] = "ab", ["email"] = "a@x.test", ["verified"] = false });
        Assert.False(discord.EmailVerified);
        Assert.Equal("https://cdn.discordapp.com/avatars/9/ab.png", discord.AvatarUrl);
        var apple = OAuth2Providers.Find("apple")!.Map(new JsonObject { ["sub"] = "s", ["email"] = "a@x.test", ["email_verified"] = "true" });
        Assert.True(apple.EmailVerified);
        var ms = OAuth2Providers.Find("microsoft")!.Map(new JsonObject { ["id"] = "m", ["mail"] = "a@x.test" });
        Assert.False(ms.EmailVerified);
        var gitlab = OAuth2Providers.Find("gitlab")!.Map(new JsonObject { ["id"] = 12, ["email"] = "a@x.test", ["confirmed_at"] = null });
        Assert.Equal("12", gitlab.Id);
        Assert.False(gitlab.EmailVerified);
    }
}
