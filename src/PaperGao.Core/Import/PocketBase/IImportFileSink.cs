namespace PaperGao.Core.Import.PocketBase;

/// <summary>Where an import writes the files of a project, by storage key (<c>&lt;collectionId&gt;/&lt;recordId&gt;/&lt;filename&gt;</c>).</summary>
public interface IImportFileSink
{
    Task PutAsync(string key, Stream content, CancellationToken ct = default);

    Task DeleteAsync(string key, CancellationToken ct = default);
}
