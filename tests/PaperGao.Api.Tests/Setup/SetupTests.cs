using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Setup;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Setup;

/// <summary>First-run setup: the one-time token printed by serve and POST /api/setup (docs/logs.md, README).</summary>
public sealed class SetupTests(PostgresCluster postgres)
{
    private static string Token(PaperGaoApp app) =>
        app.Services.GetRequiredService<FirstRunSetup>().CurrentToken ?? throw new InvalidOperationException("no setup token was issued");

    private static object Body(string token, string password = "Setup-password-123", string? confirm = null) =>
        new { token, email = "first@example.com", password, passwordConfirm = confirm ?? password };

    [Theory]
    [DatabaseMatrix]
    public async Task The_setup_token_creates_the_first_superuser_once(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var token = Token(app);
        Assert.Equal(40, token.Length);

        // Validation errors leave the token usable.
        var (mismatch, mismatchBody) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token, confirm: "Other-password-123"), ct);
        Assert.Equal(400, mismatch);
        Assert.NotNull(mismatchBody!["data"]!["passwordConfirm"]);

        var (status, auth) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token), ct);
        Assert.True(status == 200, auth?.ToJsonString());
        Assert.Equal("_superusers", auth!["record"]!["collectionName"]!.GetValue<string>());
        Assert.Equal("first@example.com", auth["record"]!["email"]!.GetValue<string>());
        Assert.Null(auth["record"]!["password"]);
        using var su = app.CreateClient();
        su.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth["token"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Get, "/api/collections", null, ct)).Status);
        // The new superuser signs in with the password it chose.
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/_superusers/auth-with-password",
            new { identity = "first@example.com", password = "Setup-password-123" }, ct)).Status);

        // Reusing the token (or any other) is refused now that a superuser exists.
        var (reuse, reuseBody) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token) , ct);
        Assert.Equal(403, reuse);
        Assert.Equal(403, reuseBody!["status"]!.GetValue<int>());
        Assert.Null(app.Services.GetRequiredService<FirstRunSetup>().CurrentToken);
        var count = (await GetJsonAsync(su, "/api/collections/_superusers/records", ct))["totalItems"]!.GetValue<int>();
        Assert.Equal(1, count);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Wrong_or_missing_tokens_and_other_projects_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var token = Token(app);
        foreach (var wrong in (string[])["", "x", token[..^1] + (token[^1] == 'a' ? 'b' : 'a'), token + "a"])
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(wrong), ct);
            Assert.Equal(400, status);
            Assert.NotNull(body!["data"]!["token"]);
        }
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/setup", new { email = "a@b.c" }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/setup", "not an object", ct)).Status);
        // Nothing was created: the real token still works.
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token), ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_setup_token_expires_after_an_hour_on_the_server_clock(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await PaperGaoApp.StartAsync(db, postgres, clock, ct);
        var token = Token(app);
        clock.Advance(FirstRunSetup.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(token, app.Services.GetRequiredService<FirstRunSetup>().CurrentToken);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(app.Services.GetRequiredService<FirstRunSetup>().CurrentToken);
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token), ct);
        Assert.True(status == 400 && body!["data"]!["token"] is not null, body?.ToJsonString());
        // Nothing was created: the only superuser is the one the test makes now.
        Assert.Equal(1, (await GetJsonAsync(await app.SuperuserClientAsync(ct), "/api/collections/_superusers/records", ct))["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Setup_is_refused_when_a_superuser_already_exists(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var token = Token(app);
        await app.SuperuserTokenAsync(ct); // papergao superuser upsert, after start
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/setup", Body(token), ct);
        Assert.Equal(403, status);
        Assert.Contains("superuser exists", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
