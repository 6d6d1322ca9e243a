using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Backups;

/// <summary>
/// A backup zip opened for restoring and checked before anything is touched: it opens as a zip (a truncated file does
/// not), it is a PaperGao backup (manifest of a known format) or a PocketBase one (a zipped pb_data with data.db), and
/// every entry name is one the format defines (no "../", no absolute paths: entry names never become paths).
/// </summary>
public sealed class BackupArchive : IDisposable
{
    private readonly FileStream _file;

    private BackupArchive(FileStream file, ZipArchive zip, BackupManifest? manifest)
    {
        _file = file;
        Zip = zip;
        Manifest = manifest;
    }

    public ZipArchive Zip { get; }

    /// <summary>The manifest of a PaperGao backup; null for a PocketBase backup.</summary>
    public BackupManifest? Manifest { get; }

    public bool IsPocketBase => Manifest is null;

    public static async Task<BackupArchive> OpenAsync(string path, CancellationToken ct)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct);
        }
        catch (InvalidDataException)
        {
            await file.DisposeAsync();
            throw ApiError.BadRequest("The backup is not a valid zip file (damaged or truncated).");
        }
        try
        {
            var manifest = zip.GetEntry(BackupFormat.ManifestEntry) is { } m ? await ReadManifestAsync(m, ct) : null;
            if (manifest is null && zip.GetEntry("data.db") is null)
                throw ApiError.BadRequest("The zip is not a backup: it has neither papergao-backup.json (PaperGao) nor data.db (PocketBase).");
            foreach (var e in zip.Entries)
            {
                if (manifest is not null ? !BackupFormat.IsKnownEntry(e.FullName) : !PocketBaseBackup.IsSafeEntry(e.FullName))
                    throw ApiError.BadRequest($"The backup is not valid: it holds an unexpected entry '{Trim(e.FullName)}'.");
            }
            return new BackupArchive(file, zip, manifest);
        }
        catch
        {
            zip.Dispose();
            await file.DisposeAsync();
            throw;
        }
    }

    private static async Task<BackupManifest> ReadManifestAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        try
        {
            await using var s = await entry.OpenAsync(ct);
            var m = await JsonSerializer.DeserializeAsync<BackupManifest>(s, cancellationToken: ct);
            if (m is null || m.Format != BackupFormat.FormatName) throw ApiError.BadRequest("The backup is not valid: papergao-backup.json is not a PaperGao backup manifest.");
            if (m.Version is < 1 or > BackupFormat.Version)
                throw ApiError.BadRequest($"The backup has format version {m.Version}; this server reads versions 1 to {BackupFormat.Version}.");
            return m;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw ApiError.BadRequest("The backup is not valid: papergao-backup.json can't be read.");
        }
    }

    /// <summary>The JSON of a small entry (collections.json, settings.json); 400 when missing or not JSON of that shape.</summary>
    public async Task<T> ReadJsonAsync<T>(string name, CancellationToken ct) where T : JsonNode
    {
        var entry = Zip.GetEntry(name) ?? throw ApiError.BadRequest($"The backup is not valid: {name} is missing.");
        try
        {
            await using var s = await entry.OpenAsync(ct);
            return await JsonNode.ParseAsync(s, cancellationToken: ct) as T ?? throw ApiError.BadRequest($"The backup is not valid: {name} has the wrong shape.");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw ApiError.BadRequest($"The backup is not valid: {name} can't be read.");
        }
    }

    public void Dispose()
    {
        Zip.Dispose();
        _file.Dispose();
    }

    private static string Trim(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
