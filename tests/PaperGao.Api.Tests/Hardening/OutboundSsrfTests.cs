using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>
/// SSRF: provider and S3 URLs set by a project superuser cannot make the server reach loopback, link-local or metadata
/// addresses (Core/Net/OutboundHttp). The test host allow-lists only the name "localhost" (for the local test servers).
/// </summary>
public sealed class OutboundSsrfTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Oauth2_provider_urls_pointing_inside_are_never_fetched(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        var port = ((IPEndPoint)v4.LocalEndpoint).Port;
        TcpListener? v6 = null;
        try { v6 = new TcpListener(IPAddress.IPv6Loopback, 0); v6.Start(); } catch (SocketException) { v6 = null; }
        var port6 = v6 is null ? port : ((IPEndPoint)v6.LocalEndpoint).Port;
        try
        {
            await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
            var su = await app.SuperuserClientAsync(ct);
            var targets = new[]
            {
                $"http://127.0.0.1:{port}/token", "http://169.254.169.254/latest/meta-data/", $"http://[::1]:{port6}/token",
                $"http://0x7f000001:{port}/token", $"http://2130706433:{port}/token", $"http://127.1:{port}/token", "http://10.0.0.1/",
            };
            string[] names = ["oidc", "oidc2", "google", "github", "gitlab", "microsoft", "discord"];
            var providers = new JsonArray();
            for (var i = 0; i < targets.Length; i++)
            {
                providers.Add(new JsonObject
                {
                    ["name"] = names[i], ["clientId"] = "c", ["clientSecret"] = "s",
                    ["authURL"] = "https://provider.example.test/authorize", ["tokenURL"] = targets[i], ["userInfoURL"] = targets[i],
                });
            }
            await CreateAsync(su, new JsonObject
            {
                ["name"] = "members", ["type"] = "auth", ["createRule"] = "", ["authRule"] = "",
                ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = providers },
            }, ct);
            var methods = await GetJsonAsync(app.Client, "/api/collections/members/auth-methods", ct);
            foreach (var p in methods["oauth2"]!["providers"]!.AsArray())
            {
                var name = p!["name"]!.GetValue<string>();
                var (s, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/members/auth-with-oauth2",
                    new { provider = name, code = "code", codeVerifier = p["codeVerifier"]!.GetValue<string>(), redirectURL = "https://app.example.test/cb" }, ct);
                Assert.True(s == 400, $"{name}: {s} {body}");
                Assert.Null(body!["meta"]);
            }
            Assert.False(v4.Pending(), "the server connected to 127.0.0.1");
            Assert.False(v6?.Pending() ?? false, "the server connected to [::1]");
        }
        finally
        {
            v4.Stop();
            v6?.Stop();
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task S3_endpoints_pointing_inside_are_refused_before_saving(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var v4 = new TcpListener(IPAddress.Loopback, 0);
        v4.Start();
        var port = ((IPEndPoint)v4.LocalEndpoint).Port;
        try
        {
            await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
            var su = await app.SuperuserClientAsync(ct);
            foreach (var endpoint in new[] { $"http://127.0.0.1:{port}", "http://169.254.169.254", $"http://0x7f000001:{port}", $"http://2130706433:{port}" })
            {
                var (s, err) = await SendAsync(su, HttpMethod.Patch, "/api/settings",
                    new { s3 = new { enabled = true, bucket = "b", region = "us-east-1", endpoint, accessKey = "a", secret = "s", forcePathStyle = true } }, ct);
                Assert.True(s == 400, $"{endpoint}: {s} {err}");
                Assert.Equal("validation_s3_check_failed", err!["data"]!["s3"]!["bucket"]!["code"]!.GetValue<string>());
            }
            Assert.False(v4.Pending(), "the server connected to 127.0.0.1");
            var settings = await GetJsonAsync(su, "/api/settings", ct);
            Assert.False(settings["s3"]!["enabled"]!.GetValue<bool>());
        }
        finally
        {
            v4.Stop();
        }
    }
}
