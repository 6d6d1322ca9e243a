using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Api.Tests.Durability;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// The self-contained single-file release (scripts/publish.sh) run as a user would: no dotnet on PATH, no DOTNET_*
/// variable, a fresh data folder on SQLite. Start, health, the embedded dashboard, a superuser made by the CLI, a
/// collection and a record round trip, then SIGTERM with a realtime stream open. Prints size and start times
/// (docs/deploy.md has the figures).
/// </summary>
public sealed partial class ReleaseBinaryTests
{
    private static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-release-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task The_single_file_runs_without_dotnet_serves_the_dashboard_and_keeps_a_record()
    {
        var ct = TestContext.Current.CancellationToken;
        var binary = ReleaseBinary.Path();
        var size = new FileInfo(binary).Length;
        Report($"binary {binary}: {size / 1024.0 / 1024.0:0.0} MiB");
        Assert.InRange(size, 20L << 20, 200L << 20);

        var home = TempDir("home");
        var data = Path.Combine(home, "data");
        var (code, output) = await ReleaseBinary.RunAsync(binary, home, ["superuser", "upsert", "root@example.com", "release-pass-123", "--dir", data], ct);
        Assert.True(code == 0, $"superuser upsert exited {code}: {output}");

        var port = ServerProcess.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var clock = Stopwatch.StartNew();
        await using (var server = ReleaseBinary.Start(binary, home, ["serve", "--http", $"127.0.0.1:{port}", "--dir", data]))
        {
            var startup = await server.WaitHealthyAsync(baseUrl, clock, ct);
            Report($"start to first healthy answer: {startup.TotalMilliseconds:0} ms");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

            var page = await http.GetAsync("/_/", ct);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync(ct);
            var script = ScriptSource().Match(html);
            Assert.True(script.Success, "the dashboard page names its script: " + html[..Math.Min(html.Length, 400)]);
            using (var asset = await http.GetAsync(script.Groups[1].Value, ct))
            {
                Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
                Assert.True((await asset.Content.ReadAsByteArrayAsync(ct)).Length > 10_000, "the dashboard bundle is embedded");
            }

            var auth = await http.PostAsJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "root@example.com", password = "release-pass-123" }, ct);
            Assert.Equal(HttpStatusCode.OK, auth.StatusCode);
            var token = (await auth.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>();
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
            var created = await http.PostAsJsonAsync("/api/collections", new { name = "notes", type = "base", fields = new[] { new { name = "title", type = "text" } } }, ct);
            Assert.True(created.StatusCode == HttpStatusCode.OK, await created.Content.ReadAsStringAsync(ct));
            var record = await http.PostAsJsonAsync("/api/collections/notes/records", new { title = "from the single file" }, ct);
            Assert.True(record.StatusCode == HttpStatusCode.OK, await record.Content.ReadAsStringAsync(ct));
            var id = (await record.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
            var read = await http.GetFromJsonAsync<JsonObject>($"/api/collections/notes/records/{id}", ct);
            Assert.Equal("from the single file", read!["title"]!.GetValue<string>());

            // SIGTERM with a realtime stream open: the server ends the stream and exits 0 well before the 30 s drain limit.
            using var sse = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
            using var stream = await sse.GetAsync("/api/realtime", HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line && !line.StartsWith("event:PB_CONNECT", StringComparison.Ordinal)) { }
            var stopping = Stopwatch.StartNew();
            var kill = await ProcessRunner.RunAsync("kill", ["-TERM", server.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            Assert.True(kill.Succeeded, kill.Output);
            await server.WaitForExitAsync(TimeSpan.FromSeconds(40), ct);
            Report($"SIGTERM to exit with a realtime stream open: {stopping.ElapsedMilliseconds} ms");
            Assert.Equal(0, server.ExitCode);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {stopping.Elapsed.TotalSeconds:0.0} s: {server.Output}");
        }

        // A second start: the record is still there, and the bundle's native libraries are already unpacked.
        port = ServerProcess.FreePort();
        baseUrl = $"http://127.0.0.1:{port}";
        clock.Restart();
        await using (var again = ReleaseBinary.Start(binary, home, ["serve", "--http", $"127.0.0.1:{port}", "--dir", data]))
        {
            Report($"second start to first healthy answer: {(await again.WaitHealthyAsync(baseUrl, clock, ct)).TotalMilliseconds:0} ms");
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var auth = await http.PostAsJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = "root@example.com", password = "release-pass-123" }, ct);
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", (await auth.Content.ReadFromJsonAsync<JsonObject>(ct))!["token"]!.GetValue<string>());
            var list = await http.GetFromJsonAsync<JsonObject>("/api/collections/notes/records", ct);
            Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
        }
    }

    [GeneratedRegex("<script[^>]+src=\"(/_/[^\"]+\\.js)\"")]
    private static partial Regex ScriptSource();
}
