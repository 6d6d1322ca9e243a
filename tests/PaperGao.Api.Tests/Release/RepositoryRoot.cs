namespace PaperGao.Api.Tests.Release;

/// <summary>The repository's root folder (the one holding PaperGao.slnx), found from the test binaries upwards.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "PaperGao.slnx"))) return dir.FullName;
        throw new InvalidOperationException("PaperGao.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
