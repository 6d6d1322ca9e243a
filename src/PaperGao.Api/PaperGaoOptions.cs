namespace PaperGao.Api;

/// <summary>Where the data lives: a data folder (SQLite projects and, later, local files) and optionally a PostgreSQL connection string.</summary>
public sealed class PaperGaoOptions
{
    public string Dir { get; set; } = "papergao_data";

    /// <summary>A PostgreSQL connection string; empty means embedded SQLite.</summary>
    public string? Db { get; set; }

    /// <summary>The request body limit in bytes (protocol.md §1.7 default 32 MiB).</summary>
    public long MaxBodySize { get; set; } = 32L * 1024 * 1024;

    /// <summary>How often unreferenced stored files are deleted (Files/FilesGcService); zero or less turns the job off.</summary>
    public TimeSpan FilesGcInterval { get; set; } = TimeSpan.FromHours(6);
}
