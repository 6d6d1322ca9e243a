using System.Text.Json;
using PaperGao.Core.Files;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// Copies the files a record references from pb_data/storage (and their existing thumbnails, without the .attrs
/// sidecars) into the project's <see cref="IFileStorage"/> under the same keys. A missing file is reported and the
/// import goes on. Every key written is remembered so a failed import can remove them again. Without a storage the
/// copier only checks that the files exist (dry run); without a storage folder it does nothing (files kept elsewhere).
/// </summary>
public sealed class PbFileCopier(string? storageDir, IFileStorage? storage, ImportReport report)
{
    private const string DefaultContentType = "application/octet-stream";
    private readonly List<string> _written = [];

    public IReadOnlyList<string> Written => _written;

    /// <summary>Copies one referenced file; true when it exists in storage/ (and was copied unless there is no target storage).</summary>
    public async Task<bool> CopyAsync(string collection, string collectionId, string recordId, string fileName, CancellationToken ct)
    {
        if (storageDir is null) return false;
        if (!FileKeys.IsValidSegment(collectionId) || !FileKeys.IsValidSegment(recordId) || !FileKeys.IsValidSegment(fileName))
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
        if (storage is null) return true;
        await PutAsync(FileKeys.Original(collectionId, recordId, fileName), source, ct);
        var thumbs = Path.Combine(recordDir, "thumbs_" + fileName);
        if (Directory.Exists(thumbs))
        {
            foreach (var thumb in Directory.EnumerateFiles(thumbs).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(thumb);
                if (name.EndsWith(".attrs", StringComparison.Ordinal) || !FileKeys.IsValidSegment(name)) continue;
                await PutAsync(FileKeys.Validate($"{collectionId}/{recordId}/thumbs_{fileName}/{name}"), thumb, ct);
            }
        }
        return true;
    }

    /// <summary>Removes what this copier wrote (after a failed import).</summary>
    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (storage is null) return;
        foreach (var key in _written) await storage.DeleteAsync(key, ct);
        _written.Clear();
    }

    private async Task PutAsync(string key, string path, CancellationToken ct)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        _written.Add(key);
        await storage!.WriteAsync(key, stream, await ContentTypeAsync(path, ct), ct);
    }

    /// <summary>The content type PocketBase recorded in the file's .attrs sidecar, if any.</summary>
    private static async Task<string> ContentTypeAsync(string path, CancellationToken ct)
    {
        var attrs = path + ".attrs";
        if (!File.Exists(attrs)) return DefaultContentType;
        try
        {
            await using var s = File.OpenRead(attrs);
            using var doc = await JsonDocument.ParseAsync(s, cancellationToken: ct);
            return doc.RootElement.TryGetProperty("user.content_type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } type
                ? type
                : DefaultContentType;
        }
        catch (JsonException)
        {
            return DefaultContentType;
        }
    }
}
