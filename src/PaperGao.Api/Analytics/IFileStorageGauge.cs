using PaperGao.Core.Projects;

namespace PaperGao.Api.Analytics;

/// <summary>
/// The bytes of uploaded files a project keeps, for the analytics endpoint. The files feature registers its own
/// implementation (services.AddSingleton&lt;IFileStorageGauge, ...&gt;() after AddPaperGao); until then
/// <see cref="UnknownFileStorageGauge"/> answers null and the endpoint reports "files": null (not measured).
/// </summary>
public interface IFileStorageGauge
{
    /// <summary>The bytes of the project's stored files, or null when this server cannot tell.</summary>
    Task<long?> FileBytesAsync(Project project, CancellationToken ct);
}

/// <summary>The gauge of a server without file storage: nothing is measured.</summary>
public sealed class UnknownFileStorageGauge : IFileStorageGauge
{
    public Task<long?> FileBytesAsync(Project project, CancellationToken ct) => Task.FromResult<long?>(null);
}
