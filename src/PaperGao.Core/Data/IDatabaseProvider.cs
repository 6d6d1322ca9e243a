namespace PaperGao.Core.Data;

/// <summary>
/// Where projects live: SQLite files under &lt;dir&gt;/projects/&lt;name&gt;/ or one PostgreSQL schema per project.
/// The list of projects is derived from what exists (folders or schemas); there is no second catalog to keep in sync.
/// </summary>
public interface IDatabaseProvider : IAsyncDisposable
{
    ISqlDialect Dialect { get; }

    Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken ct = default);

    Task<bool> ExistsAsync(string project, CancellationToken ct = default);

    /// <summary>Opens (and with create, creates) a project's database. The caller owns the result.</summary>
    Task<ProjectDatabase> OpenAsync(string project, bool create, CancellationToken ct = default);

    /// <summary>
    /// Opens (creating it when missing) the project's separate log database: "logs.db" beside the SQLite project's
    /// "data.db", or the schema "l_&lt;name&gt;" on PostgreSQL. The caller owns the result.
    /// </summary>
    Task<ProjectDatabase> OpenLogsAsync(string project, CancellationToken ct = default);

    /// <summary>
    /// The local folder of a project's files: &lt;dir&gt;/projects/&lt;name&gt;/storage for both databases (for PostgreSQL the
    /// folder holds only the files). Deleting the project deletes it.
    /// </summary>
    string StorageDir(string project);

    /// <summary>Deletes a project's database (and its log database) for good. The caller has closed both first.</summary>
    Task DeleteAsync(string project, CancellationToken ct = default);
}
