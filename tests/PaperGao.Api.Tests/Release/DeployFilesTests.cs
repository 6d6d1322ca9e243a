using System.Globalization;
using System.Text.RegularExpressions;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// The deploy files checked with the real tools, offline: the systemd unit (systemd-analyze verify and its offline
/// security score), the nginx configuration (nginx -t), the compose file (docker-compose config) and the Dockerfile's
/// promises. Each check is skipped with a message when its tool is not installed. No container engine or systemd runs here.
/// </summary>
public sealed partial class DeployFilesTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-deploy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public async Task The_systemd_unit_verifies_and_is_hardened()
    {
        var analyze = Tool.Require("systemd-analyze", "systemd");
        var unit = await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "systemd", "papergao.service"), TestContext.Current.CancellationToken);
        Assert.Contains("ExecStart=/usr/local/bin/papergao serve", unit, StringComparison.Ordinal);
        Assert.Contains("DynamicUser=yes", unit, StringComparison.Ordinal);
        // verify checks that ExecStart exists: point it at an executable that does.
        var dir = TempDir();
        var path = Path.Combine(dir, "papergao.service");
        await File.WriteAllTextAsync(path, unit.Replace("/usr/local/bin/papergao", "/bin/true", StringComparison.Ordinal), TestContext.Current.CancellationToken);
        var verify = await ProcessRunner.RunAsync(analyze, ["verify", "--man=no", path], TimeSpan.FromSeconds(60));
        Assert.True(verify.Succeeded && verify.Output.Trim().Length == 0, $"systemd-analyze verify: {verify.Output}");
        var security = await ProcessRunner.RunAsync(analyze, ["security", "--offline=yes", "--no-pager", path], TimeSpan.FromSeconds(60));
        var level = ExposureLevel().Match(security.Output);
        Assert.True(level.Success, security.Output);
        TestContext.Current.TestOutputHelper?.WriteLine("systemd exposure level: " + level.Groups[1].Value);
        Assert.True(double.Parse(level.Groups[1].Value, CultureInfo.InvariantCulture) < 5.0, $"exposure {level.Groups[1].Value}: {security.Output}");
    }

    [Fact]
    public async Task The_nginx_configuration_is_accepted_by_nginx()
    {
        var nginx = Tool.Require("nginx", "Debian's nginx");
        var dir = TempDir();
        // The compose service names resolve only on the compose network: loopback stands in for them here.
        var site = (await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "nginx", "papergao.conf"), TestContext.Current.CancellationToken))
            .Replace("papergao-1:8090", "127.0.0.1:18090", StringComparison.Ordinal).Replace("papergao-2:8090", "127.0.0.1:18091", StringComparison.Ordinal);
        Assert.Contains("proxy_buffering off;", site, StringComparison.Ordinal);
        // Round-robin: a realtime subscription reaching another node than its stream is forwarded over the bus.
        Assert.DoesNotContain("ip_hash", site, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(dir, "site.conf"), site, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"),
            $"pid {dir}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{ access_log off; include {dir}/site.conf; }}\n", TestContext.Current.CancellationToken);
        var test = await ProcessRunner.RunAsync(nginx, ["-t", "-q", "-p", dir, "-c", Path.Combine(dir, "nginx.conf")], TimeSpan.FromSeconds(30));
        Assert.True(test.Succeeded, "nginx -t: " + test.Output);
    }

    [Fact]
    public async Task The_compose_file_validates()
    {
        var compose = Tool.Require("docker-compose", "Debian's docker-compose");
        var file = RepositoryRoot.Combine("deploy", "compose.yaml");
        var run = await ProcessRunner.RunAsync(compose, ["-f", file, "--env-file", RepositoryRoot.Combine("deploy", "compose.env.example"), "config"], TimeSpan.FromSeconds(60));
        Assert.True(run.Succeeded, "docker-compose config: " + run.Output);
        foreach (var service in new[] { "papergao-1:", "papergao-2:", "postgres:", "minio:", "nginx:" })
            Assert.Contains(service, run.Output, StringComparison.Ordinal);
        // Without the secrets file the start is refused, instead of running with a default password.
        var empty = Path.Combine(TempDir(), "empty.env");
        await File.WriteAllTextAsync(empty, "", TestContext.Current.CancellationToken);
        var bare = await ProcessRunner.RunAsync(compose, ["-f", file, "--env-file", empty, "config"], TimeSpan.FromSeconds(60));
        Assert.False(bare.Succeeded, "compose without deploy/.env must fail: " + bare.Output);
        Assert.Contains("POSTGRES_PASSWORD", bare.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Dockerfile_runs_as_a_user_with_a_data_volume_and_a_health_check()
    {
        var text = await File.ReadAllTextAsync(RepositoryRoot.Combine("Dockerfile"), TestContext.Current.CancellationToken);
        var stages = FromLine().Matches(text);
        Assert.True(stages.Count >= 3, "multi-stage: node, build, runtime");
        var final = text[stages[^1].Index..];
        Assert.Matches(@"(?m)^USER \$APP_UID$", final);
        Assert.Matches(@"(?m)^VOLUME \[""/data""\]$", final);
        Assert.Matches(@"(?m)^HEALTHCHECK .*CMD \[""/app/papergao"", ""health""\]$", final);
        Assert.Contains("PAPERGAO_HTTP=0.0.0.0:8090", final, StringComparison.Ordinal);
        Assert.DoesNotContain("sdk:", final, StringComparison.Ordinal);
        // The build stage publishes with the script the tests run (scripts/publish.sh), restoring in locked mode.
        Assert.Contains("./scripts/publish.sh", text, StringComparison.Ordinal);
        Assert.Contains("--locked-mode", text, StringComparison.Ordinal);
        // Every file the build stage copies before the sources exists.
        foreach (Match copy in CopyLine().Matches(text))
            foreach (var source in copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            {
                var folder = RepositoryRoot.Combine(Path.GetDirectoryName(source) ?? "");
                Assert.True(Directory.Exists(folder) && Directory.GetFiles(folder, Path.GetFileName(source)).Length > 0, $"COPY {source}: no such file");
            }
    }

    [Fact]
    public async Task Every_way_of_running_the_server_has_the_runtime_settings()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = (await File.ReadAllLinesAsync(RepositoryRoot.Combine("scripts", "runtime.env"), ct))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToList();
        Assert.Contains(settings, kv => kv[0] == "DOTNET_TC_CallCountingDelayMs");
        var docker = await File.ReadAllTextAsync(RepositoryRoot.Combine("Dockerfile"), ct);
        var final = docker[FromLine().Matches(docker)[^1].Index..];
        var systemd = await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "systemd", "papergao.service"), ct);
        var manifests = new[]
        {
            await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "k8s", "base", "deployment.yaml"), ct),
            await File.ReadAllTextAsync(RepositoryRoot.Combine("deploy", "helm", "papergao", "templates", "deployment.yaml"), ct),
        };
        foreach (var kv in settings)
        {
            var (key, value) = (kv[0], kv[1]);
            Assert.Matches($@"(?m)^\s*(ENV )?{key}={value}( \\)?$", final);
            Assert.Contains($"Environment={key}={value}\n", systemd, StringComparison.Ordinal);
            foreach (var manifest in manifests)
                Assert.Matches($@"- name: {key}\s+value: ""{value}""", manifest);
        }
        // The launcher and the benchmarks read the file itself.
        foreach (var script in new[] { "papergao", Path.Combine("bench", "run.sh"), Path.Combine("bench", "cluster", "run.sh") })
            Assert.Contains("scripts/runtime.env", await File.ReadAllTextAsync(RepositoryRoot.Combine(script), ct), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Overall exposure level for [^:]+: ([0-9.]+)")]
    private static partial Regex ExposureLevel();

    [GeneratedRegex(@"(?m)^FROM ")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"(?m)^COPY (?!--from)(?!\. )([^\n]+)$")]
    private static partial Regex CopyLine();
}
