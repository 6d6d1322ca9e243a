using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// deploy/k8s rendered by kustomize (kubectl kustomize, offline) and turned into JSON by kubectl (label --local, which
/// decodes every object), then checked for what docs/deploy.md promises: probes on /api/health, resources, a non-root
/// read-only container, the Service and PodDisruptionBudget selecting the pods, the Ingress settings realtime needs, one
/// SQLite replica on a volume, PostgreSQL credentials from a Secret. No cluster runs here, so nothing is applied.
/// </summary>
public sealed class KubernetesManifestsTests
{
    private static async Task<List<JsonObject>> RenderAsync(string layout)
    {
        var kubectl = await DeployTools.RequireKubectlAsync();
        var dir = RepositoryRoot.Combine("deploy", "k8s", layout);
        var yaml = Path.Combine(Path.GetTempPath(), $"papergao-k8s-{layout}-{Guid.NewGuid():N}.yaml");
        var rendered = await ProcessRunner.RunAsync(kubectl, ["kustomize", dir, "-o", yaml], TimeSpan.FromSeconds(60));
        Assert.True(rendered.Succeeded, $"kubectl kustomize {layout}: {rendered.Output}");
        Assert.DoesNotContain("Warning", rendered.Output, StringComparison.Ordinal);
        var objects = await DecodeAsync(kubectl, yaml, layout);
        File.Delete(yaml);
        return objects;
    }

    /// <summary>
    /// The objects of a manifest file (or of every file under a folder) as JSON, decoded by kubectl offline (label --local
    /// reads every object with its schema).
    /// </summary>
    internal static async Task<List<JsonObject>> DecodeAsync(string kubectl, string path, string what)
    {
        var json = await ProcessRunner.RunAsync(kubectl, ["label", "--local", "-f", path, .. Directory.Exists(path) ? new[] { "-R" } : [], "-o", "json", CheckedLabel + "=yes", "--kubeconfig", "/dev/null"], TimeSpan.FromSeconds(60));
        Assert.True(json.Succeeded, $"kubectl could not decode the {what} objects: {json.Output}");
        var objects = new List<JsonObject>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json.Output[json.Output.IndexOf('{', StringComparison.Ordinal)..]), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read()) objects.Add(JsonNode.Parse(ref reader)!.AsObject());
        return objects;
    }

    internal static JsonObject Single(List<JsonObject> objects, string kind) =>
        Assert.Single(objects, o => (string?)o["kind"] == kind);

    /// <summary>A label set as text, without the label the JSON conversion adds to every object's metadata.</summary>
    internal static string Labels(JsonNode? labels) =>
        string.Join(",", (labels as JsonObject ?? []).Where(p => p.Key != CheckedLabel).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private const string CheckedLabel = "papergao.checked";

    internal static JsonObject CheckCommon(List<JsonObject> objects)
    {
        var deployment = Single(objects, "Deployment");
        var pod = deployment["spec"]!["template"]!;
        var podLabels = pod["metadata"]!["labels"]!.AsObject();
        Assert.Equal(Labels(deployment["spec"]!["selector"]!["matchLabels"]), Labels(podLabels));
        Assert.True((bool)pod["spec"]!["securityContext"]!["runAsNonRoot"]!);
        Assert.False((bool)pod["spec"]!["automountServiceAccountToken"]!);
        Assert.True((int)pod["spec"]!["terminationGracePeriodSeconds"]! > 30, "longer than the server's 30 s drain");
        var container = Assert.Single(pod["spec"]!["containers"]!.AsArray())!;
        // Liveness never asks the database (a restart would not bring it back); readiness does.
        foreach (var probe in new[] { "startupProbe", "livenessProbe" })
            Assert.Equal("/api/health", (string?)container[probe]?["httpGet"]?["path"]);
        Assert.Equal("/api/health/ready", (string?)container["readinessProbe"]?["httpGet"]?["path"]);
        Assert.True((int)container["readinessProbe"]!["timeoutSeconds"]! > 2, "longer than the server's 2 s limit on the database check");
        Assert.NotNull(container["resources"]!["requests"]!["cpu"]);
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        var mounts = container["volumeMounts"]!.AsArray().Select(m => (string)m!["mountPath"]!).ToList();
        Assert.Contains("/data", mounts);
        Assert.Contains("/tmp", mounts);

        var configMap = Single(objects, "ConfigMap");
        Assert.Equal((string?)configMap["metadata"]!["name"], (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
        Assert.Equal("0.0.0.0:8090", (string?)configMap["data"]!["PAPERGAO_HTTP"]);

        var ports = container["ports"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => (int)p!["containerPort"]!);
        var service = Single(objects, "Service");
        Assert.Equal(Labels(podLabels), Labels(service["spec"]!["selector"]));
        foreach (var port in service["spec"]!["ports"]!.AsArray())
            Assert.True(ports.ContainsKey((string)port!["targetPort"]!), $"the Service targets port {port["targetPort"]}, which the container names");
        Assert.Equal("metrics", (string?)service["spec"]!["ports"]!.AsArray().Single(p => (int)p!["port"]! == ports["metrics"])!["name"]);
        Assert.Equal((string?)configMap["data"]!["PAPERGAO_METRICS_LISTEN"], $"0.0.0.0:{ports["metrics"]}");

        var ingress = Single(objects, "Ingress");
        var annotations = ingress["metadata"]!["annotations"]!.AsObject();
        Assert.Equal("off", (string?)annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        Assert.True(int.Parse((string)annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]!, System.Globalization.CultureInfo.InvariantCulture) >= 1800, "realtime streams live up to 1800 s");
        var backend = ingress["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        Assert.Equal((string?)service["metadata"]!["name"], (string?)backend["name"]);
        Assert.Equal("http", (string?)backend["port"]!["name"]);
        return deployment;
    }

    [Fact]
    public async Task The_sqlite_layout_is_one_replica_on_a_persistent_volume()
    {
        var objects = await RenderAsync("sqlite");
        var deployment = CheckCommon(objects);
        Assert.Equal(1, (int)deployment["spec"]!["replicas"]!);
        Assert.Equal("Recreate", (string?)deployment["spec"]!["strategy"]!["type"]);
        var claim = Single(objects, "PersistentVolumeClaim");
        var data = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => (string)v!["name"]! == "data")!;
        Assert.Equal((string?)claim["metadata"]!["name"], (string?)data["persistentVolumeClaim"]!["claimName"]);
        Assert.Null(data["emptyDir"]);
        Assert.DoesNotContain(objects, o => (string?)o["kind"] == "PodDisruptionBudget");
    }

    [Fact]
    public async Task The_postgres_layout_runs_replicas_with_the_connection_string_from_a_secret()
    {
        var objects = await RenderAsync("postgres");
        var deployment = CheckCommon(objects);
        Assert.True((int)deployment["spec"]!["replicas"]! > 1);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var db = container["env"]!.AsArray().Single(e => (string)e!["name"]! == "PAPERGAO_DB")!;
        Assert.Equal("papergao-secrets", (string?)db["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Null(db["value"]);
        var pdb = Single(objects, "PodDisruptionBudget");
        Assert.Equal(Labels(deployment["spec"]!["template"]!["metadata"]!["labels"]), Labels(pdb["spec"]!["selector"]!["matchLabels"]));
        Assert.Equal(0, (int)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxUnavailable"]!);
    }

    [Fact]
    public async Task The_service_monitor_scrapes_the_metrics_port()
    {
        var objects = await RenderAsync("monitoring");
        var monitor = Single(objects, "ServiceMonitor");
        var endpoint = monitor["spec"]!["endpoints"]![0]!;
        Assert.Equal("metrics", (string?)endpoint["port"]);
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        var service = Single(await RenderAsync("sqlite"), "Service");
        Assert.Equal(Labels(service["metadata"]!["labels"]), Labels(monitor["spec"]!["selector"]!["matchLabels"]));
    }
}
