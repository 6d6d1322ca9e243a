using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Durability;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Configuration;

/// <summary>
/// Server options through the real executable: command line over PAPERGAO_* variables over the config file over
/// defaults; `papergao config print` masks secrets; unknown keys and bad values stop the start naming each one;
/// JSON logs carry the request's W3C trace id and never a secret.
/// </summary>
public sealed class ConfigurationTests(PostgresCluster postgres)
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-config-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task Config_print_applies_command_line_over_environment_over_file_and_masks_secrets()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempDir();
        var file = Path.Combine(dir, "papergao.json");
        await File.WriteAllTextAsync(file, """
            {
              "http": "127.0.0.1:1111",
              "dir": "/srv/from-file",
              "db": "Host=db.internal;Username=app;Password=File-secret-41;Database=app",
              "realtime": { "queue": 64 },
              "outboundAllow": ["hooks.internal", "10.1.0.0/16"]
            }
            """, ct);
        var env = new Dictionary<string, string>
        {
            ["PAPERGAO_HTTP"] = "127.0.0.1:2222",
            ["PAPERGAO_DB"] = "Host=db.internal;Username=app;Password=Env-secret-42;Database=app",
            ["PAPERGAO_REALTIME_QUEUE"] = "128",
        };

        var (code, stdout, stderr) = await Executable.RunAsync(["config", "print", "--config", file, "--http", "127.0.0.1:3333"], env, ct);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n').Select(l => l.Trim()).ToList();
        string Line(string name) => Assert.Single(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Matches(@"= 127\.0\.0\.1:3333\s+# command line --http$", Line("http"));
        Assert.Matches(@"= /srv/from-file\s+# config file dir$", Line("dir"));
        Assert.Matches(@"= 128\s+# environment PAPERGAO_REALTIME_QUEUE$", Line("realtime-queue"));
        Assert.Matches(@"= hooks\.internal,10\.1\.0\.0/16\s+# config file outboundAllow$", Line("outbound-allow"));
        Assert.Matches(@"= 30\s+# default$", Line("statement-timeout-seconds"));
        Assert.Contains("Password=***", Line("db"), StringComparison.Ordinal);
        Assert.Contains("environment PAPERGAO_DB", Line("db"), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-4", stdout + stderr, StringComparison.Ordinal);

        var url = await Executable.RunAsync(["config", "print", "--db", "postgres://app:Url-secret-43@db.internal/app"], null, ct);
        Assert.True(url.ExitCode == 0, url.Stderr);
        Assert.Contains("postgres://app:***@db.internal/app", url.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Url-secret-43", url.Stdout + url.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_keys_and_bad_values_stop_the_start_and_are_named()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = TempDir();
        var file = Path.Combine(dir, "papergao.json");
        await File.WriteAllTextAsync(file, """{ "dri": "./data", "realtime": { "queue": 0 }, "functions": { "timeoutSeconds": "soon" } }""", ct);
        var port = ServerProcess.FreePort();
        var env = new Dictionary<string, string> { ["PAPERGAO_STATMENT_TIMEOUT"] = "5", ["PAPERGAO_LOG_FORMAT"] = "xml", ["PAPERGAO_REALTIME_NOTIFY"] = "sometimes" };

        var (code, stdout, stderr) = await Executable.RunAsync(
            ["serve", "--config", file, "--http", $"127.0.0.1:{port}", "--dir", dir, "--realtime-idle-seconds", "-1", "--verbose"], env, ct);

        Assert.Equal(2, code);
        Assert.Contains("Unknown key 'dri'", stderr, StringComparison.Ordinal);
        Assert.Contains("'realtime.queue'", stderr, StringComparison.Ordinal);
        Assert.Contains("'functions.timeoutSeconds'", stderr, StringComparison.Ordinal);
        Assert.Contains("Unknown environment variable PAPERGAO_STATMENT_TIMEOUT", stderr, StringComparison.Ordinal);
        Assert.Contains("PAPERGAO_LOG_FORMAT must be text or json", stderr, StringComparison.Ordinal);
        Assert.Contains("PAPERGAO_REALTIME_NOTIFY must be transaction or after-commit", stderr, StringComparison.Ordinal);
        Assert.Contains("--realtime-idle-seconds", stderr, StringComparison.Ordinal);
        Assert.Contains("Unknown option '--verbose'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", stdout, StringComparison.Ordinal);

        var missing = await Executable.RunAsync(["serve", "--config", Path.Combine(dir, "absent.json"), "--dir", dir], null, ct);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("absent.json", missing.Stderr, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file, """{ "db": null }""", ct);
        var nulls = await Executable.RunAsync(["config", "print", "--config", file], null, ct);
        Assert.Equal(2, nulls.ExitCode);
        Assert.Contains("'db'", nulls.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Serve_takes_its_options_from_the_config_file_and_logs_json_with_the_trace_id_and_no_secret(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = db == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var dir = TempDir();
        var port = ServerProcess.FreePort();
        var file = Path.Combine(dir, "papergao.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { http = $"127.0.0.1:{port}", dir, logFormat = "json" }), ct);
        const string dbSecret = "Never-logged-db-77";
        var env = new Dictionary<string, string>();
        // Test clusters trust local connections, so the password is sent to nobody; it must show up nowhere either.
        if (database is not null) env["PAPERGAO_DB"] = database.ConnectionString + ";Password=" + dbSecret;

        await using var server = Executable.Start(["serve", "--config", file], env);
        var baseUrl = $"http://127.0.0.1:{port}";
        await server.WaitHealthyAsync(baseUrl, ct);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };

        const string userPassword = "Never-logged-user-88";
        using (var created = await client.PostAsJsonAsync("/api/collections/users/records",
            new { email = "someone@config.test", password = userPassword, passwordConfirm = userPassword }, ct))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var reset = new HttpRequestMessage(HttpMethod.Post, "/api/collections/users/request-password-reset")
        {
            Content = JsonContent.Create(new { email = "someone@config.test" }),
        };
        reset.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using (var response = await client.SendAsync(reset, ct)) Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        // No SMTP is set up, so the background send fails and logs a warning inside the request's trace.
        var warning = JsonNode.Parse(await server.WaitForLineAsync("email was not sent", ct))!;
        Assert.Equal("Warning", warning["LogLevel"]!.GetValue<string>());
        Assert.Contains(warning["Scopes"]!.AsArray(), s => s?["TraceId"]?.GetValue<string>() == traceId);

        var output = server.Stdout;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind);
        Assert.Contains("PaperGao serving", output, StringComparison.Ordinal);
        Assert.DoesNotContain(dbSecret, output + server.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(userPassword, output + server.Stderr, StringComparison.Ordinal);
    }
}
