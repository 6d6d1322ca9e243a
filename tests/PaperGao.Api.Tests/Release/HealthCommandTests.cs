using PaperGao.Api.Tests.Configuration;
using PaperGao.Api.Tests.Durability;
using PaperGao.Server.Cli;

namespace PaperGao.Api.Tests.Release;

/// <summary>papergao health (the container HEALTHCHECK): exit 1 while nothing answers, 0 once the server is up.</summary>
public sealed class HealthCommandTests
{
    [Theory]
    [InlineData("0.0.0.0:8090", "http://127.0.0.1:8090/api/health")]
    [InlineData("http://+:9000", "http://127.0.0.1:9000/api/health")]
    [InlineData("[::]:8090", "http://127.0.0.1:8090/api/health")]
    [InlineData("example.org:80", "http://example.org/api/health")]
    [InlineData("https://10.1.2.3:8443;http://0.0.0.0:1", "https://10.1.2.3:8443/api/health")]
    public void A_wildcard_listen_address_is_asked_on_loopback(string http, string expected) =>
        Assert.Equal(expected, HealthCommand.HealthUrl(http).ToString());

    [Fact]
    public async Task Health_exits_1_while_nothing_listens_and_0_when_the_server_answers()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = ServerProcess.FreePort();
        var down = await Executable.RunAsync(["health"], new Dictionary<string, string> { ["PAPERGAO_HTTP"] = $"0.0.0.0:{port}" }, ct);
        Assert.True(down.ExitCode == 1, $"exit {down.ExitCode}: {down.Stderr}");
        Assert.Contains($"127.0.0.1:{port}", down.Stderr, StringComparison.Ordinal);

        var dir = Path.Combine(Path.GetTempPath(), "papergao-health-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", dir]);
        await server.WaitHealthyAsync($"http://127.0.0.1:{port}", ct);
        var up = await Executable.RunAsync(["health"], new Dictionary<string, string> { ["PAPERGAO_HTTP"] = $"0.0.0.0:{port}" }, ct);
        Assert.True(up.ExitCode == 0, $"exit {up.ExitCode}: {up.Stderr}");
        var ready = await Executable.RunAsync(["health", "--ready", "--http", $"127.0.0.1:{port}"], null, ct);
        Assert.True(ready.ExitCode == 0, $"exit {ready.ExitCode}: {ready.Stderr}");
    }

    [Fact]
    public void Ready_asks_the_readiness_path() =>
        Assert.Equal("http://127.0.0.1:8090/api/health/ready", HealthCommand.HealthUrl("0.0.0.0:8090", ready: true).ToString());

    [Theory]
    [InlineData("--bogus")]
    [InlineData("extra")]
    public async Task Health_refuses_an_unknown_argument_with_exit_2(string argument)
    {
        var ct = TestContext.Current.CancellationToken;
        var run = await Executable.RunAsync(["health", argument], null, ct);
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Contains(argument, run.Stderr, StringComparison.Ordinal);
    }
}
