namespace PaperGao.Api.Tests.Release;

/// <summary>A command-line tool the deploy-file checks need (kubectl, systemd-analyze, nginx, docker-compose): its path, or a skip.</summary>
internal static class Tool
{
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public static string Require(string name, string package)
    {
        var path = Find(name);
        if (path is null) Assert.Skip($"{name} is not installed ({package}); the deploy files it checks are not checked here.");
        return path!;
    }
}
