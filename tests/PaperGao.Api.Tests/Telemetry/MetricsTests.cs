using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Configuration;
using PaperGao.Api.Tests.Durability;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Telemetry;

/// <summary>
/// /metrics through the real executable: absent from the public address by default, refused without the token, served
/// alone on the separate metrics address (also when --urls replaces --http), counters that move with requests, route
/// templates (never ids) as labels, and a real Prometheus scraping it.
/// </summary>
public sealed class MetricsTests(PostgresCluster postgres)
{
    private const string Token = "metrics-token-0123456789";

    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-metrics-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? ContentType)> GetAsync(string url, string? token, CancellationToken ct, HttpMethod? method = null)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The value of the first sample of <paramref name="name"/> whose labels contain every one of <paramref name="labels"/>, or null.</summary>
    private static double? Sample(string exposition, string name, params string[] labels)
    {
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) && !line.StartsWith(name + " ", StringComparison.Ordinal)) continue;
            var close = line.LastIndexOf('}');
            var labelText = close < 0 ? "" : line[..close];
            if (labels.All(l => labelText.Contains(l, StringComparison.Ordinal)))
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return null;
    }

    [Fact]
    public async Task Metrics_are_absent_from_the_public_address_by_default()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = ServerProcess.FreePort();
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", TempDir()]);
        var baseUrl = $"http://127.0.0.1:{port}";
        await server.WaitHealthyAsync(baseUrl, ct);

        var (status, body, _) = await GetAsync(baseUrl + "/metrics", null, ct);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, JsonNode.Parse(body)!["status"]!.GetValue<int>());
        var withToken = await GetAsync(baseUrl + "/metrics", Token, ct);
        Assert.Equal(HttpStatusCode.NotFound, withToken.Status);
        Assert.DoesNotContain("http_server_request_duration", withToken.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_guards_metrics_on_the_public_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = ServerProcess.FreePort();
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", TempDir()],
            new Dictionary<string, string> { ["PAPERGAO_METRICS_TOKEN"] = Token });
        var url = $"http://127.0.0.1:{port}/metrics";
        await server.WaitHealthyAsync($"http://127.0.0.1:{port}", ct);

        var none = await GetAsync(url, null, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, none.Status);
        Assert.Equal(401, JsonNode.Parse(none.Body)!["status"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(url, Token + "x", ct)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(url, Token[..^1], ct)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(url, "", ct)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await GetAsync(url, Token, ct, HttpMethod.Post)).Status);

        var ok = await GetAsync(url, Token, ct);
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("text/plain", ok.ContentType);
        Assert.NotNull(Sample(ok.Body, "http_server_request_duration_seconds_count", "http_route=\"/api/health\""));
        Assert.DoesNotContain(Token, server.Stdout + server.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_metrics_address_serves_only_metrics_with_route_templates_and_moving_counters(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var (port, metricsPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        var env = new Dictionary<string, string> { ["PAPERGAO_METRICS_LISTEN"] = $"127.0.0.1:{metricsPort}" };
        // Test clusters trust local connections, so the password reaches nobody; it must not reach /metrics either
        // (Npgsql labels its pool series with the connection string less the password).
        const string dbSecret = "Never-in-metrics-66";
        if (database is not null) env["PAPERGAO_DB"] = database.ConnectionString + ";Password=" + dbSecret;
        // --urls replaces --http; the metrics address must still be added next to it.
        await using var server = Executable.Start(["serve", $"--urls=http://127.0.0.1:{port}", "--dir", TempDir()], env);
        var baseUrl = $"http://127.0.0.1:{port}";
        var metricsUrl = $"http://127.0.0.1:{metricsPort}/metrics";
        await server.WaitHealthyAsync(baseUrl, ct);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(baseUrl + "/metrics", null, ct)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"http://127.0.0.1:{metricsPort}/api/health", null, ct)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"http://127.0.0.1:{metricsPort}/api/collections/users/records", null, ct)).Status);

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        const string missingId = "abcdefghij12345";
        using (var created = await client.PostAsJsonAsync("/api/collections/users/records",
                   new { email = "metrics@papergao.test", password = "Metrics-pass-123", passwordConfirm = "Metrics-pass-123" }, ct))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        using (var missing = await client.GetAsync("/api/collections/users/records/" + missingId, ct))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var list = await client.GetAsync("/api/collections/users/records", ct)) list.EnsureSuccessStatusCode();

        var first = await WaitForSampleAsync(metricsUrl, "papergao_record_operations_total", 1, ct, "action=\"list\"", "collection=\"users\"", "project=\"main\"");
        var text = first.Exposition;
        Assert.NotNull(Sample(text, "papergao_record_operations_total", "action=\"create\"", "collection=\"users\""));
        Assert.NotNull(Sample(text, "papergao_record_operations_total", "action=\"view\"", "collection=\"users\""));
        Assert.NotNull(Sample(text, "http_server_request_duration_seconds_count", "http_route=\"/api/collections/{collection}/records/{id}\"", "http_response_status_code=\"404\""));
        Assert.DoesNotContain(missingId, text, StringComparison.Ordinal);
        Assert.NotNull(Sample(text, "kestrel_active_connections"));
        Assert.NotNull(Sample(text, "dotnet_gc_heap_total_allocated_bytes_total"));
        Assert.NotNull(Sample(text, "papergao_realtime_connections", "project=\"main\""));
        Assert.NotNull(Sample(text, "papergao_requestlog_dropped_total"));
        if (db == DatabaseKind.Sqlite)
        {
            Assert.NotNull(Sample(text, "papergao_sqlite_write_queue", "project=\"main\""));
            Assert.NotNull(Sample(text, "papergao_sqlite_write_wait_seconds_count"));
        }
        else Assert.Contains("\ndb_client_connection", text, StringComparison.Ordinal);
        Assert.DoesNotContain(dbSecret, text, StringComparison.Ordinal);
        Assert.NotNull(Sample(text, "http_server_request_duration_seconds_count", "http_route=\"/api/collections/{collection}/records/\"", "http_request_method=\"GET\""));

        for (var i = 0; i < 3; i++)
            using (var list = await client.GetAsync("/api/collections/users/records", ct)) list.EnsureSuccessStatusCode();
        await WaitForSampleAsync(metricsUrl, "papergao_record_operations_total", first.Value + 3, ct, "action=\"list\"", "collection=\"users\"");

        // The GraphQL schema: one warm-up build after the start (GraphQLWarmup), then one per collection set and kind
        // of caller, never one per request.
        await WaitForSampleAsync(metricsUrl, "papergao_graphql_schema_build_seconds_count", 1, ct, "caller=\"warmup\"");
        for (var i = 0; i < 2; i++)
            using (var gql = await client.PostAsJsonAsync("/api/graphql", new { query = "{ __typename }" }, ct)) gql.EnsureSuccessStatusCode();
        var builds = await WaitForSampleAsync(metricsUrl, "papergao_graphql_schema_build_seconds_count", 1, ct, "caller=\"public\"");
        Assert.Equal(1.0, builds.Value);
        Assert.Equal(1.0, Sample(builds.Exposition, "papergao_graphql_schema_build_seconds_count", "caller=\"warmup\""));
    }

    /// <summary>Scrapes until the sample reaches <paramref name="atLeast"/> (the exporter may answer from a short cache).</summary>
    private static async Task<(double Value, string Exposition)> WaitForSampleAsync(string url, string name, double atLeast, CancellationToken ct, params string[] labels)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var body = "";
        while (DateTime.UtcNow < deadline)
        {
            var (status, text, _) = await GetAsync(url, null, ct);
            Assert.Equal(HttpStatusCode.OK, status);
            body = text;
            if (Sample(text, name, labels) is { } v && v >= atLeast) return (v, text);
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"{name}{{{string.Join(',', labels)}}} did not reach {atLeast}: {body}");
    }

    [Fact]
    public async Task Metrics_options_come_from_every_source_and_config_print_masks_the_token()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempDir();
        var file = Path.Combine(dir, "papergao.json");
        await File.WriteAllTextAsync(file, $$"""{ "metrics": { "listen": "127.0.0.1:9999", "token": "{{Token}}" } }""", ct);

        var (code, stdout, stderr) = await Executable.RunAsync(["config", "print", "--config", file], null, ct);
        Assert.True(code == 0, stderr);
        Assert.Matches(@"metrics-listen\s+= 127\.0\.0\.1:9999\s+# config file metrics\.listen", stdout);
        Assert.Matches(@"metrics-token\s+= \*\*\*\s+# config file metrics\.token", stdout);
        Assert.DoesNotContain(Token, stdout + stderr, StringComparison.Ordinal);

        var env = await Executable.RunAsync(["config", "print", "--config", file, "--metrics-listen", "127.0.0.1:9465"],
            new Dictionary<string, string> { ["PAPERGAO_METRICS_TOKEN"] = "with=equals-sign-secret" }, ct);
        Assert.Matches(@"metrics-listen\s+= 127\.0\.0\.1:9465\s+# command line --metrics-listen", env.Stdout);
        Assert.Matches(@"metrics-token\s+= \*\*\*\s+# environment PAPERGAO_METRICS_TOKEN", env.Stdout);
        Assert.DoesNotContain("equals-sign-secret", env.Stdout + env.Stderr, StringComparison.Ordinal);

        var weak = await Executable.RunAsync(["serve", "--dir", dir, "--metrics-token", "short"], null, ct);
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("--metrics-token must be at least 16 characters", weak.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("short'", weak.Stderr.Replace("***", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var badAddress = await Executable.RunAsync(["serve", "--dir", dir, "--metrics-listen", "not an address"], null, ct);
        Assert.Equal(2, badAddress.ExitCode);
        Assert.Contains("--metrics-listen must be an address", badAddress.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Function_runs_are_timed_by_kind()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempDir();
        var folder = Path.Combine(dir, "functions");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "main.pb.js"), "routerAdd('GET', '/api/hello', (e) => e.string(200, 'hi'))", ct);
        var deploy = await Executable.RunAsync(["functions", "deploy", folder, "--dir", dir], null, ct);
        Assert.True(deploy.ExitCode == 0, deploy.Stderr);
        var (port, metricsPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", dir, "--metrics-listen", $"127.0.0.1:{metricsPort}"]);
        await server.WaitHealthyAsync($"http://127.0.0.1:{port}", ct);

        using (var client = new HttpClient())
            Assert.Equal("hi", await client.GetStringAsync($"http://127.0.0.1:{port}/api/hello", ct));
        await WaitForSampleAsync($"http://127.0.0.1:{metricsPort}/metrics", "papergao_function_duration_seconds_count", 1, ct, "kind=\"route\"");
    }

    [Fact]
    public async Task A_real_Prometheus_scrapes_the_metrics_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var binary = PrometheusServer.Binary();
        var (port, metricsPort) = (ServerProcess.FreePort(), ServerProcess.FreePort());
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", TempDir(),
            "--metrics-listen", $"127.0.0.1:{metricsPort}", "--metrics-token", Token]);
        await server.WaitHealthyAsync($"http://127.0.0.1:{port}", ct);
        using (var client = new HttpClient())
        using (var list = await client.GetAsync($"http://127.0.0.1:{port}/api/collections/users/records", ct))
            list.EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"http://127.0.0.1:{metricsPort}/metrics", null, ct)).Status);

        await using var prometheus = PrometheusServer.Start(binary, $"127.0.0.1:{metricsPort}", Token);
        var health = await prometheus.WaitForAsync("/api/v1/targets", body =>
            body["data"]?["activeTargets"]?.AsArray().FirstOrDefault(t => t?["health"]?.GetValue<string>() == "up")?["scrapeUrl"]?.GetValue<string>(),
            TimeSpan.FromSeconds(60), ct);
        Assert.Equal($"http://127.0.0.1:{metricsPort}/metrics", health);
        var series = await prometheus.WaitForAsync("/api/v1/query?query=" + Uri.EscapeDataString("papergao_record_operations_total{collection=\"users\",action=\"list\"}"),
            body => body["data"]?["result"]?.AsArray() is { Count: > 0 } r ? r : null, TimeSpan.FromSeconds(30), ct);
        Assert.Equal("main", series[0]!["metric"]!["project"]!.GetValue<string>());
        Assert.Equal("1", series[0]!["value"]![1]!.GetValue<string>());
        var route = await prometheus.WaitForAsync("/api/v1/query?query=" + Uri.EscapeDataString("http_server_request_duration_seconds_count{http_route=\"/api/collections/{collection}/records/\"}"),
            body => body["data"]?["result"]?.AsArray() is { Count: > 0 } r ? r : null, TimeSpan.FromSeconds(30), ct);
        Assert.NotEmpty(route);
    }
}
