using System.Data.Common;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Import.PocketBase;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Backups;

/// <summary>
/// Restores a PaperGao backup into a live project, whatever database either side runs on: in ONE write transaction the
/// project's own collections are dropped, the backup's collections are imported (validated like the collections import,
/// ids, secrets and times kept), every table is emptied and refilled from the backup's rows, the API keys and settings
/// replaced. The files are written to the storage the restored settings choose before the commit; when anything fails
/// the transaction rolls back and the files it added are removed, so the project is as it was. After the commit the
/// files the backup does not hold are deleted.
/// </summary>
public static class BackupRestorer
{
    private static readonly CollectionImportOptions KeepEverything = new() { KeepSecrets = true, KeepMetadata = true };

    public static async Task RestoreAsync(Project p, BackupArchive archive, CancellationToken ct)
    {
        var items = await archive.ReadJsonAsync<JsonArray>(BackupFormat.CollectionsEntry, ct);
        var settings = ReadSettings(await archive.ReadJsonAsync<JsonObject>(BackupFormat.SettingsEntry, ct));
        var storage = FileStorageFactory.Create(settings, p.StorageDir);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<string>();
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            CollectionSet final;
            try
            {
                final = await p.Database.WriteAsync(async tx =>
                {
                    var set = await RestoreDataAsync(p, tx, archive, items, ct);
                    await ProjectInitializer.SaveSettingsAsync(p.Database, tx, settings, p.Now(), ct);
                    await RestoreFilesAsync(archive, storage, keep, added, ct);
                    return set;
                }, ct);
            }
            catch (DbException ex)
            {
                await RemoveAsync(storage, added);
                throw ApiError.BadRequest("The backup could not be restored (the project is unchanged): " + ex.Message);
            }
            catch
            {
                await RemoveAsync(storage, added);
                throw;
            }
            p.SetCollections(final);
            p.SetSettings(settings);
        }
        finally
        {
            p.SchemaLock.Release();
            (storage as IDisposable)?.Dispose();
        }
        await RemoveStaleFilesAsync(p.Storage, keep, ct);
    }

    private static ProjectSettings ReadSettings(JsonObject json)
    {
        var errors = new ErrorData();
        var settings = SettingsJson.Apply(new ProjectSettings(), json, errors);
        if (!errors.IsEmpty) throw ApiError.BadRequest("The backup is not valid: settings.json has invalid settings.", new ErrorData().Add("settings", errors));
        return settings;
    }

    private static async Task<CollectionSet> RestoreDataAsync(Project p, DbTransaction tx, BackupArchive archive, JsonArray items, CancellationToken ct)
    {
        var db = p.Database;
        var current = await PocketBaseImporter.DropUserCollectionsAsync(p, tx, ct);
        var set = await CollectionService.ImportInTransactionAsync(p, tx, current, items, deleteMissing: false, KeepEverything, ct);
        foreach (var c in set.All.Where(c => !c.IsView))
        {
            await db.ExecuteAsync(tx, $"DELETE FROM {p.Dialect.Quote(c.Name)}", null, ct);
            if (archive.Zip.GetEntry(BackupFormat.RecordsEntry(c.Id)) is not { } entry) continue; // a system collection the backup's version did not have
            await using var s = await entry.OpenAsync(ct);
            await RowLoader.LoadAsync(db, tx, c.Name, BackupFormat.ColumnsOf(c), s, entry.FullName, ct);
        }
        await db.ExecuteAsync(tx, $"DELETE FROM {p.Dialect.Quote(BackupFormat.ApiKeysTable)}", null, ct);
        if (archive.Zip.GetEntry(BackupFormat.ApiKeysEntry) is { } keys)
        {
            await using var s = await keys.OpenAsync(ct);
            await RowLoader.LoadAsync(db, tx, BackupFormat.ApiKeysTable, BackupFormat.ApiKeyColumns, s, keys.FullName, ct);
        }
        return set;
    }

    private static async Task RestoreFilesAsync(BackupArchive archive, IFileStorage storage, HashSet<string> keep, List<string> added, CancellationToken ct)
    {
        foreach (var e in archive.Zip.Entries)
        {
            if (!e.FullName.StartsWith(BackupFormat.StorageFolder, StringComparison.Ordinal)) continue;
            var key = FileKeys.Validate(e.FullName[BackupFormat.StorageFolder.Length..]);
            keep.Add(key);
            var existed = await storage.ExistsAsync(key, ct);
            await using var s = await e.OpenAsync(ct);
            await storage.WriteAsync(key, s, "application/octet-stream", ct);
            if (!existed) added.Add(key);
        }
    }

    private static async Task RemoveAsync(IFileStorage storage, List<string> keys)
    {
        foreach (var k in keys)
        {
            try { await storage.DeleteAsync(k, CancellationToken.None); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Amazon.S3.AmazonS3Exception) { /* best effort */ }
        }
    }

    /// <summary>
    /// After the commit: the project's record files (originals and thumbnails) that the backup does not hold belong to
    /// records that no longer exist. Other objects in the storage are left alone (backups kept in the same S3 bucket).
    /// </summary>
    private static async Task RemoveStaleFilesAsync(IFileStorage storage, HashSet<string> keep, CancellationToken ct)
    {
        var stale = new List<string>();
        await foreach (var o in storage.ListAsync("", ct))
        {
            var isRecordFile = FileKeys.ParseOriginal(o.Key) is not null || FileKeys.ParseThumb(o.Key) is not null;
            if (isRecordFile && !keep.Contains(o.Key)) stale.Add(o.Key);
        }
        await RemoveAsync(storage, stale);
    }
}
