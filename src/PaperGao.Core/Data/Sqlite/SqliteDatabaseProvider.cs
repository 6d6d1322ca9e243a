namespace PaperGao.Core.Data.Sqlite;

/// <summary>Projects as folders: &lt;dir&gt;/projects/&lt;name&gt;/data.db.</summary>
public sealed class SqliteDatabaseProvider(string dataDir) : IDatabaseProvider
{
    private string ProjectsDir => Path.Combine(dataDir, "projects");

    public ISqlDialect Dialect => SqliteDialect.Instance;

    /// <summary>The statement time limit of the databases opened from now on (see ProjectDatabase.StatementTimeout).</summary>
    public TimeSpan StatementTimeout { get; init; } = ProjectDatabase.DefaultStatementTimeout;

    /// <summary>The folder of a project (its name is validated by the caller against ProjectNames).</summary>
    public string ProjectDir(string project) => Path.Combine(ProjectsDir, project);

    public string StorageDir(string project) => Path.Combine(ProjectDir(project), "storage");

    public Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken ct = default)
    {
        if (!Directory.Exists(ProjectsDir)) return Task.FromResult<IReadOnlyList<string>>([]);
        IReadOnlyList<string> list = [.. Directory.EnumerateDirectories(ProjectsDir)
            .Where(d => File.Exists(Path.Combine(d, "data.db")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];
        return Task.FromResult(list);
    }

    public Task<bool> ExistsAsync(string project, CancellationToken ct = default) =>
        Task.FromResult(File.Exists(Path.Combine(ProjectDir(project), "data.db")));

    public Task<ProjectDatabase> OpenAsync(string project, bool create, CancellationToken ct = default)
    {
        var dir = ProjectDir(project);
        var file = Path.Combine(dir, "data.db");
        if (!File.Exists(file))
        {
            if (!create) throw new InvalidOperationException($"Project '{project}' does not exist.");
            Directory.CreateDirectory(dir);
        }
        return Task.FromResult<ProjectDatabase>(new SqliteProjectDatabase(file) { StatementTimeout = StatementTimeout });
    }

    public Task<ProjectDatabase> OpenLogsAsync(string project, CancellationToken ct = default)
    {
        var dir = ProjectDir(project);
        if (!Directory.Exists(dir)) throw new InvalidOperationException($"Project '{project}' does not exist.");
        return Task.FromResult<ProjectDatabase>(new SqliteProjectDatabase(Path.Combine(dir, "logs.db")) { StatementTimeout = StatementTimeout });
    }

    public Task DeleteAsync(string project, CancellationToken ct = default)
    {
        var dir = ProjectDir(project);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
