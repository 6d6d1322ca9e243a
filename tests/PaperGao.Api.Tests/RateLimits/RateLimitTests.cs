using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.RateLimits;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Settings;
using static PaperGao.Api.Tests.Auth.Users;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.RateLimits;

/// <summary>Rate limits (docs/security.md; security.md items 12 and 37).</summary>
public sealed class RateLimitTests(PostgresCluster postgres)
{
    private static async Task<int> GetStatusAsync(HttpClient client, string url, string? forwardedFor, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (forwardedFor is not null) req.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        using var r = await client.SendAsync(req, ct);
        if ((int)r.StatusCode == 429)
        {
            var retry = r.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("429 without Retry-After");
            Assert.InRange(retry.TotalSeconds, 1, 60);
            var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
            Assert.Equal(429, body["status"]!.GetValue<int>());
        }
        return (int)r.StatusCode;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_request_over_the_limit_is_429_per_client_ip_and_spoofed_forwarding_is_ignored(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (s, _) = await SendAsync(su, HttpMethod.Patch, "/api/settings",
            new { rateLimits = new { enabled = true, rules = new[] { new { label = "posts:list", audience = "", duration = 60, maxRequests = 2 } } } }, ct);
        Assert.Equal(200, s);
        const string url = "/api/collections/posts/records";

        Assert.Equal(200, await GetStatusAsync(app.Client, url, null, ct));
        Assert.Equal(200, await GetStatusAsync(app.Client, url, "203.0.113.1", ct));
        // The third: 429, whatever X-Forwarded-For says (no trusted proxy header configured).
        Assert.Equal(429, await GetStatusAsync(app.Client, url, "203.0.113.2", ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, url, null, ct));
        // Other endpoints have no matching rule; superusers are never limited.
        Assert.Equal(200, await GetStatusAsync(app.Client, "/api/collections/authors/records", null, ct));
        Assert.Equal(200, await GetStatusAsync(su, url, null, ct));

        // Behind a trusted proxy (the in-process connection is a local hop) the forwarded IP is the client.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { trustedProxy = new { headers = new[] { "X-Forwarded-For" } } }, ct)).Status);
        Assert.Equal(200, await GetStatusAsync(app.Client, url, "203.0.113.7", ct));
        Assert.Equal(200, await GetStatusAsync(app.Client, url, "198.51.100.1, 203.0.113.7", ct)); // rightmost = the proxy's view
        Assert.Equal(429, await GetStatusAsync(app.Client, url, "203.0.113.7", ct));
        Assert.Equal(200, await GetStatusAsync(app.Client, url, "203.0.113.8", ct));

        // The health probes are never limited, even by a rule that covers every path.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings",
            new { trustedProxy = new { headers = Array.Empty<string>() }, rateLimits = new { enabled = true, rules = new[] { new { label = "/api/", audience = "", duration = 60, maxRequests = 1 } } } }, ct)).Status);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, await GetStatusAsync(app.Client, "/api/health", null, ct));
            Assert.Equal(200, await GetStatusAsync(app.Client, "/api/health/ready", null, ct));
        }
        Assert.Equal(200, await GetStatusAsync(app.Client, "/api/collections/authors/records", null, ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, "/api/collections/authors/records", null, ct));

        // Turning it off lifts the limit at once.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { rateLimits = new { enabled = false } }, ct)).Status);
        Assert.Equal(200, await GetStatusAsync(app.Client, url, "203.0.113.7", ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Password_attempts_are_limited_per_identity(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings",
            new { rateLimits = new { enabled = true, rules = new[] { new { label = "*:auth", audience = "@guest", duration = 60, maxRequests = 2 } } } }, ct)).Status);
        const string url = "/api/collections/users/auth-with-password";
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "victim@x.test", password = "guess-one-1" }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "Victim@X.test", password = "guess-two-2" }, ct)).Status);
        var (limited, body) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "victim@x.test", password = "guess-three" }, ct);
        Assert.Equal(429, limited);
        Assert.Equal(429, body!["status"]!.GetValue<int>());
        // Another identity from the same client is not affected; the body still reaches the endpoint intact.
        var (other, otherBody) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "other@x.test", password = "guess-one-1" }, ct);
        Assert.Equal(400, other);
        Assert.Equal(400, otherBody!["status"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Upper_case_paths_extra_slashes_and_padded_bodies_do_not_escape_the_limits(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await SignUpAsync(app, "victim@x.test", ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new
        {
            rateLimits = new
            {
                enabled = true,
                rules = new[]
                {
                    new { label = "*:auth", audience = "", duration = 60, maxRequests = 2 },
                    new { label = "posts:list", audience = "", duration = 60, maxRequests = 1 },
                    new { label = "/api/collections/authors/records", audience = "", duration = 60, maxRequests = 1 },
                },
            },
        }, ct)).Status);

        // Sign-in: the limit holds whatever the case of the path.
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "victim@x.test", password = "guess-one-1" }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/API/Collections/users/AUTH-WITH-PASSWORD", new { identity = "victim@x.test", password = "guess-two-2" }, ct)).Status);
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, "/API/collections/users/auth-with-password", new { identity = "victim@x.test", password = Password }, ct)).Status);
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, "/api//collections/users/auth-with-password/", new { identity = "victim@x.test", password = Password }, ct)).Status);

        // Records and path labels.
        Assert.Equal(200, await GetStatusAsync(app.Client, "/api/collections/posts/RECORDS", null, ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, "/API/COLLECTIONS/posts/records", null, ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, "/api/collections/posts/records", null, ct));
        Assert.Equal(200, await GetStatusAsync(app.Client, "/api/collections/authors/records", null, ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, "/API/collections/authors/records", null, ct));
        Assert.Equal(429, await GetStatusAsync(app.Client, "/api/Collections/authors/records/", null, ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Padded_sign_in_bodies_are_still_counted_per_identity(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings",
            new { rateLimits = new { enabled = true, rules = new[] { new { label = "*:auth", audience = "@guest", duration = 60, maxRequests = 2 } } } }, ct)).Status);
        const string url = "/api/collections/users/auth-with-password";
        var pad = new string('a', 70 * 1024);
        // Bodies over the 64 KiB peek share one identity: padding cannot buy fresh attempts.
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "victim@x.test", password = "guess-one-1", pad }, ct)).Status);
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "victim@x.test", password = "guess-two-2", pad }, ct)).Status);
        Assert.Equal(429, (await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "victim@x.test", password = "guess-three", pad }, ct)).Status);
        // Form bodies are counted per identity and still reach the endpoint intact.
        async Task<int> FormAsync(string identity)
        {
            using var form = new FormUrlEncodedContent([new("identity", identity), new("password", "guess-form-1")]);
            using var r = await app.Client.PostAsync(url, form, ct);
            return (int)r.StatusCode;
        }
        Assert.Equal(400, await FormAsync("other@x.test"));
        Assert.Equal(400, await FormAsync("OTHER@x.test"));
        Assert.Equal(429, await FormAsync("other@x.test"));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_rate_limit_settings_are_400(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (s, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new
        {
            rateLimits = new
            {
                enabled = true,
                rules = new object[]
                {
                    new { label = "", audience = "", duration = 10, maxRequests = 1 },
                    new { label = "posts:explode", audience = "@everyone", duration = 0, maxRequests = -1 },
                    new { label = "FETCH /api/", audience = "", duration = 1.5, maxRequests = 3 },
                    "not a rule",
                },
            },
        }, ct);
        Assert.Equal(400, s);
        var rules = body!["data"]!["rateLimits"]!["rules"]!;
        Assert.Equal("validation_required", rules["0"]!["label"]!["code"]!.GetValue<string>());
        Assert.NotNull(rules["1"]!["label"]);
        Assert.NotNull(rules["1"]!["audience"]);
        Assert.NotNull(rules["1"]!["duration"]);
        Assert.NotNull(rules["1"]!["maxRequests"]);
        Assert.NotNull(rules["2"]!["label"]);
        Assert.NotNull(rules["2"]!["duration"]);
        Assert.NotNull(rules["3"]);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { rateLimits = new { rules = "all" } }, ct)).Status);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { rateLimits = new { excludedIPs = new[] { "not-an-ip" } } }, ct)).Status);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { trustedProxy = new { headers = new[] { "X Bad: header" } } }, ct)).Status);
        // Nothing was saved: still the defaults (disabled, PocketBase's rules).
        var settings = await GetJsonAsync(su, "/api/settings", ct);
        Assert.False(settings["rateLimits"]!["enabled"]!.GetValue<bool>());
        Assert.Contains(settings["rateLimits"]!["rules"]!.AsArray(), r => r!["label"]!.GetValue<string>() == "*:auth");
    }

    private static RateLimitSettings Proxy(params string[] trusted) => RateLimitSettings.From(new JsonObject
    {
        ["trustedProxy"] = new JsonObject { ["headers"] = new JsonArray("X-Forwarded-For"), ["ips"] = new JsonArray([.. trusted.Select(t => (JsonNode)t)]) },
    });

    [Fact]
    public void The_client_ip_comes_from_the_socket_unless_a_trusted_proxy_forwards_it()
    {
        var headers = new HeaderDictionary { ["X-Forwarded-For"] = "198.51.100.9" };
        var publicPeer = IPAddress.Parse("203.0.113.50");
        var none = RateLimitSettings.From(new JsonObject());
        Assert.Equal("203.0.113.50", ClientIp.Resolve(publicPeer, headers, none));
        // Header configured, but the peer is a public address, not a proxy: spoofing ignored.
        Assert.Equal("203.0.113.50", ClientIp.Resolve(publicPeer, headers, Proxy()));
        Assert.Equal("198.51.100.9", ClientIp.Resolve(IPAddress.Loopback, headers, Proxy()));
        Assert.Equal("198.51.100.9", ClientIp.Resolve(IPAddress.Parse("10.1.2.3"), headers, Proxy()));
        Assert.Equal("198.51.100.9", ClientIp.Resolve(IPAddress.Parse("::ffff:10.1.2.3"), headers, Proxy()));
        // An explicit proxy list replaces the private-network default.
        Assert.Equal("10.1.2.3", ClientIp.Resolve(IPAddress.Parse("10.1.2.3"), headers, Proxy("192.0.2.0/24")));
        Assert.Equal("198.51.100.9", ClientIp.Resolve(IPAddress.Parse("192.0.2.10"), headers, Proxy("192.0.2.0/24")));
        // Garbage in the header falls back to the socket.
        Assert.Equal("127.0.0.1", ClientIp.Resolve(IPAddress.Loopback, new HeaderDictionary { ["X-Forwarded-For"] = "evil" }, Proxy()));
    }

    [Fact]
    public void Labels_match_in_pocketbase_order()
    {
        RateLimitRule R(string label, string audience = "") => new(label, audience, 10, 1);
        var rules = new[] { R("/api/"), R("POST /api/collections/posts/records"), R("*:create"), R("posts:create"), R("*:auth", "@guest"), R("/api/batch") };
        RateLimitRule? Match(string method, string path, bool guest = true) =>
            RateLimiting.Match(rules, method, path, RouteInfo.Of(method, path), null, guest);
        Assert.Equal("posts:create", Match("POST", "/api/collections/posts/records")!.Label);
        Assert.Equal("*:create", Match("POST", "/api/collections/other/records")!.Label);
        Assert.Equal("*:auth", Match("POST", "/api/collections/users/auth-with-password")!.Label);
        Assert.Equal("/api/", Match("POST", "/api/collections/users/auth-with-password", guest: false)!.Label);
        Assert.Equal("/api/batch", Match("POST", "/api/batch")!.Label);
        Assert.Equal("/api/", Match("GET", "/api/collections/posts/records")!.Label);
        Assert.Null(Match("GET", "/_/"));
        Assert.Equal("posts:create", Match("POST", "/API/Collections/posts/RECORDS")!.Label);
        Assert.Equal("*:auth", Match("POST", "/api/collections/users/AUTH-WITH-PASSWORD/")!.Label);
        Assert.Equal("/api/batch", Match("POST", "/API//BATCH/")!.Label);
    }

    [Fact]
    public void The_limiter_forgets_idle_keys()
    {
        var limiter = new FixedWindowLimiter();
        Assert.True(limiter.TryAcquire("a", 1, 1000, 0, out _));
        Assert.False(limiter.TryAcquire("a", 1, 1000, 500, out var retry));
        Assert.Equal(500, retry);
        Assert.True(limiter.TryAcquire("b", 1, 1000, 600, out _));
        Assert.True(limiter.TryAcquire("a", 1, 1000, 1000, out _)); // a new window
        limiter.Sweep(2000);
        Assert.Equal(0, limiter.Count);
    }

    [Fact]
    public void A_released_request_is_given_back_within_its_window_only()
    {
        var limiter = new FixedWindowLimiter();
        Assert.True(limiter.TryAcquire("a", 1, 1000, 0, out _));
        limiter.Release("a", 100);
        Assert.True(limiter.TryAcquire("a", 1, 1000, 200, out _)); // the slot was given back
        Assert.False(limiter.TryAcquire("a", 1, 1000, 300, out _));
        limiter.Release("a", 400);
        limiter.Release("a", 400); // never below zero: one slot, not two
        Assert.True(limiter.TryAcquire("a", 1, 1000, 500, out _));
        Assert.False(limiter.TryAcquire("a", 1, 1000, 600, out _));
        limiter.Release("a", 1500); // that window has ended: nothing to give back into the next one
        Assert.True(limiter.TryAcquire("a", 1, 1000, 1500, out _));
        Assert.False(limiter.TryAcquire("a", 1, 1000, 1600, out _));
        limiter.Release("missing", 0); // an unknown key is a no-op
        Assert.Equal(1, limiter.Count);
    }
}
