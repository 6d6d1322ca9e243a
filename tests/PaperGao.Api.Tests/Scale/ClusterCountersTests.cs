using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Two nodes of one cluster (two servers on one PostgreSQL database, docs/scaling.md): a settings change on one applies
/// on the other, and the limits are counted once for both (rate-limit windows, wrong OTP attempts), so two nodes do not
/// allow twice the attempts.
/// </summary>
public sealed class ClusterCountersTests(PostgresCluster postgres)
{
    private static async Task<int> StatusAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var r = await client.GetAsync(url, ct);
        return (int)r.StatusCode;
    }

    [Fact]
    public async Task A_rate_limit_set_on_one_node_is_counted_once_for_both()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var a = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        await using var b = a.StartNode();
        using var suA = await a.SuperuserClientAsync(ct);
        using var suB = b.CreateClient(); // A's token: any node verifies it (signing in on B would upsert the superuser again)
        suB.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", await a.SuperuserTokenAsync(ct));
        await CreateSchemaAsync(suA, ct);
        const string url = "/api/collections/posts/records";
        Assert.Equal(200, await StatusAsync(b.Client, url, ct)); // B has the collection and no limit yet

        var (s, body) = await SendAsync(suA, HttpMethod.Patch, "/api/settings",
            new { rateLimits = new { enabled = true, rules = new[] { new { label = "posts:list", audience = "", duration = 60, maxRequests = 3 } } } }, ct);
        Assert.True(s == 200, body?.ToJsonString());
        // The change made on A reaches B through the bus.
        await WaitForAsync(async () => (await GetJsonAsync(suB, "/api/settings", ct))["rateLimits"]?["enabled"]?.GetValue<bool>() == true,
            TimeSpan.FromSeconds(10), "node B to take the rate limits", ct);

        // Three requests in the window, whichever node answers them; the fourth is refused on both.
        Assert.Equal(200, await StatusAsync(a.Client, url, ct));
        Assert.Equal(200, await StatusAsync(b.Client, url, ct));
        Assert.Equal(200, await StatusAsync(a.Client, url, ct));
        Assert.Equal(429, await StatusAsync(b.Client, url, ct));
        Assert.Equal(429, await StatusAsync(a.Client, url, ct));
        Assert.Equal(200, await StatusAsync(suB, url, ct)); // superusers are not limited
    }

    [Fact]
    public async Task Wrong_otp_codes_are_counted_across_nodes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, mail) = await StartAsync(DatabaseKind.Postgres, postgres, ct);
        await using var _ = a;
        await using var __ = mail;
        await using var b = a.StartNode();
        await CreateUserAsync(a, "olga@example.test", ct);
        using (var su = await a.SuperuserClientAsync(ct))
        {
            var (s, body) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new { otp = new { enabled = true, duration = 600, length = 6 } }, ct);
            Assert.True(s == 200, body?.ToJsonString());
        }
        var (_, requested) = await SendAsync(a.Client, HttpMethod.Post, "/api/collections/users/request-otp", new { email = "olga@example.test" }, ct);
        var otpId = requested!["otpId"]!.GetValue<string>();
        var code = OtpCode(await mail.WaitForMailAsync("olga@example.test", ct));
        var wrong = code == "000000" ? "111111" : "000000";
        const string url = "/api/collections/users/auth-with-otp";
        // B took the schema change (OTP enabled) from the bus before it answers 400 rather than 403.
        await WaitForAsync(async () => (await SendAsync(b.Client, HttpMethod.Post, url, new { otpId = "x", password = "1" }, ct)).Status == 400,
            TimeSpan.FromSeconds(10), "node B to enable OTP", ct);

        // Five wrong codes, split over the two nodes: the sixth attempt is refused on both, even with the right code.
        for (var i = 0; i < 5; i++)
            Assert.Equal(400, (await SendAsync(i % 2 == 0 ? a.Client : b.Client, HttpMethod.Post, url, new { otpId, password = wrong }, ct)).Status);
        Assert.Equal(429, (await SendAsync(b.Client, HttpMethod.Post, url, new { otpId, password = code }, ct)).Status);
        Assert.Equal(429, (await SendAsync(a.Client, HttpMethod.Post, url, new { otpId, password = code }, ct)).Status);
    }
}
