using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Release.KubernetesManifestsTests;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// deploy/helm/papergao: `helm lint --strict` and `helm template` for each values variant (the default SQLite one and
/// values-postgres.yaml), the rendered objects decoded by kubectl offline and checked for what the kustomize layouts
/// promise (KubernetesManifestsTests.CheckCommon), and values that cannot work refused at render time. helm and kubectl
/// come from tests/deploy-tools (DeployTools). No cluster runs here, so nothing is applied.
/// </summary>
public sealed class HelmChartTests
{
    private static string Chart => RepositoryRoot.Combine("deploy", "helm", "papergao");

    private static async Task<ProcessResult> HelmAsync(params string[] args) =>
        await ProcessRunner.RunAsync(await DeployTools.RequireHelmAsync(), args, TimeSpan.FromSeconds(60));

    private static async Task<List<JsonObject>> RenderAsync(string what, params string[] args)
    {
        var lint = await HelmAsync(["lint", "--strict", Chart, .. args]);
        Assert.True(lint.Succeeded, $"helm lint {what}: {lint.Output}");
        // --output-dir: one file per template, nothing but YAML (helm's warnings go to the console, not into the objects).
        var dir = Path.Combine(Path.GetTempPath(), $"papergao-helm-{what}-{Guid.NewGuid():N}");
        try
        {
            var template = await HelmAsync(["template", "papergao", Chart, "--output-dir", dir, .. args]);
            Assert.True(template.Succeeded, $"helm template {what}: {template.Output}");
            return await DecodeAsync(await DeployTools.RequireKubectlAsync(), dir, what);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_default_values_run_one_SQLite_replica_on_a_persistent_volume()
    {
        var objects = await RenderAsync("sqlite", "--set", "ingress.enabled=true");
        var deployment = CheckCommon(objects);
        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal("Recreate", (string?)deployment["spec"]!["strategy"]!["type"]);
        var claim = Single(objects, "PersistentVolumeClaim");
        Assert.Equal("keep", (string?)claim["metadata"]!["annotations"]!["helm.sh/resource-policy"]);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var data = pod["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "data")!;
        Assert.Equal((string?)claim["metadata"]!["name"], (string?)data["persistentVolumeClaim"]!["claimName"]);
        Assert.DoesNotContain(pod["containers"]![0]!["env"]!.AsArray(), e => (string?)e!["name"] == "PAPERGAO_DB");
        Assert.DoesNotContain(objects, o => (string?)o["kind"] is "PodDisruptionBudget" or "ServiceMonitor");
        // Ingress off by default.
        Assert.DoesNotContain(await RenderAsync("sqlite-bare"), o => (string?)o["kind"] == "Ingress");
    }

    [Fact]
    public async Task The_postgres_values_run_replicas_with_the_connection_string_from_a_secret()
    {
        var objects = await RenderAsync("postgres", "-f", Path.Combine(Chart, "values-postgres.yaml"));
        var deployment = CheckCommon(objects);
        Assert.Equal(3, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal(0, (int)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var db = pod["containers"]![0]!["env"]!.AsArray().Single(e => (string)e!["name"]! == "PAPERGAO_DB")!;
        Assert.Equal("papergao-secrets", (string?)db["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Null(db["value"]);
        Assert.NotNull(pod["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "data")!["emptyDir"]);
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "PersistentVolumeClaim");
        var podLabels = Labels(deployment["spec"]!["template"]!["metadata"]!["labels"]);
        var pdb = Single(objects, "PodDisruptionBudget");
        Assert.Equal(podLabels, Labels(pdb["spec"]!["selector"]!["matchLabels"]));
        Assert.Equal(podLabels, Labels(pod["affinity"]!["podAntiAffinity"]!["preferredDuringSchedulingIgnoredDuringExecution"]![0]!["podAffinityTerm"]!["labelSelector"]!["matchLabels"]));
        var monitor = Single(objects, "ServiceMonitor");
        Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        Assert.Equal("/metrics", (string?)monitor["spec"]!["endpoints"]![0]!["path"]);
        Assert.Equal(Labels(Single(objects, "Service")["spec"]!["selector"]), Labels(monitor["spec"]!["selector"]!["matchLabels"]));
    }

    [Fact]
    public async Task Options_go_to_the_config_map_and_a_changed_one_rolls_the_pods()
    {
        var before = await RenderAsync("config-a", "--set", "config.PAPERGAO_OUTBOUND_ALLOW=minio");
        var after = await RenderAsync("config-b", "--set", "config.PAPERGAO_OUTBOUND_ALLOW=s3");
        Assert.Equal("minio", (string?)Single(before, "ConfigMap")["data"]!["PAPERGAO_OUTBOUND_ALLOW"]);
        string Checksum(List<JsonObject> o) => (string)Single(o, "Deployment")["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]!;
        Assert.NotEqual(Checksum(before), Checksum(after));
        // Metrics off: no port, no listen address.
        var quiet = await RenderAsync("no-metrics", "--set", "metrics.enabled=false");
        Assert.Null(Single(quiet, "ConfigMap")["data"]!["PAPERGAO_METRICS_LISTEN"]);
        Assert.DoesNotContain(Single(quiet, "Service")["spec"]!["ports"]!.AsArray(), p => (string?)p!["name"] == "metrics");
    }

    [Theory]
    [InlineData("sqlite runs exactly 1 replica", "--set", "replicaCount=2")]
    [InlineData("database must be sqlite or postgres", "--set", "database=mysql")]
    [InlineData("needs postgres.existingSecret", "--set", "database=postgres", "--set", "postgres.existingSecret=")]
    [InlineData("replicaCount must be 1 or more", "--set", "database=postgres", "--set", "replicaCount=0")]
    [InlineData("config keys are PAPERGAO_* variables", "--set", "config.DB=x")]
    public async Task Values_that_cannot_work_fail_the_render_with_a_message(string message, params string[] args)
    {
        var run = await HelmAsync(["template", "papergao", Chart, .. args]);
        Assert.False(run.Succeeded, "helm template should have failed: " + run.Output);
        Assert.Contains(message, run.Output, StringComparison.Ordinal);
    }
}
