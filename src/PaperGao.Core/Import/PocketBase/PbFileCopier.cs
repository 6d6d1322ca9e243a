using System.Text.RegularExpressions;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// Copies the files a record references from pb_data/storage (and their existing thumbnails, without the .attrs
/// sidecars) into the project's file storage. A missing file is reported and the import goes on. Every key written
/// is remembered so a failed import can remove them again.
/// </summary>
public sealed partial class PbFileCopier(string storageDir, IImportFileSink? sink, ImportReport report)
{
    private readonly List<string> _written = [];

    [GeneratedRegex("^[A-Za-z0-9_]{1,100}$")]
    private static partial Regex SafeId();

    public IReadOnlyList<string> Written => _written;

    /// <summary>Copies one referenced file; true when it exists in storage/ (and was copied unless this is a dry run).</summary>
    public async Task<bool> CopyAsync(string collection, string collectionId, string recordId, string fileName, CancellationToken ct)
    {
        if (!SafeId().IsMatch(collectionId) || !SafeId().IsMatch(recordId) || !IsSafeFileName(fileName))
        {
            report.Warn($"{collection}/{recordId}: file name '{fileName}' is not a plain file name; not copied (the record keeps the name).");
            return false;
        }
        var recordDir = Path.Combine(storageDir, collectionId, recordId);
        var source = Path.Combine(recordDir, fileName);
        if (!File.Exists(source))
        {
            report.Warn($"{collection}/{recordId}: file '{fileName}' is missing from storage/; the record keeps the name.");
            return false;
        }
        if (sink is null) return true;
        await PutAsync($"{collectionId}/{recordId}/{fileName}", source, ct);
        var thumbs = Path.Combine(recordDir, "thumbs_" + fileName);
        if (Directory.Exists(thumbs))
        {
            foreach (var thumb in Directory.EnumerateFiles(thumbs).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(thumb);
                if (name.EndsWith(".attrs", StringComparison.Ordinal) || !IsSafeFileName(name)) continue;
                await PutAsync($"{collectionId}/{recordId}/thumbs_{fileName}/{name}", thumb, ct);
            }
        }
        return true;
    }

    /// <summary>Removes what this copier wrote (after a failed import).</summary>
    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (sink is null) return;
        foreach (var key in _written) await sink.DeleteAsync(key, ct);
        _written.Clear();
    }

    private async Task PutAsync(string key, string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        _written.Add(key);
        await sink!.PutAsync(key, stream, ct);
    }

    private static bool IsSafeFileName(string name) =>
        name.Length is > 0 and <= 255 && name != "." && name != ".." && !name.StartsWith('.')
        && name.IndexOfAny(['/', '\\', '\0']) < 0 && !name.Contains("..", StringComparison.Ordinal);
}
