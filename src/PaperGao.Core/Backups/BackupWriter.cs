using System.IO.Compression;
using System.Text.Json;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Writes a project's backup zip (docs/backups.md) to a stream: collections, settings, API keys and every record from
/// one consistent snapshot of the database (<see cref="ProjectDatabase.SnapshotAsync{T}"/>: writers are never blocked),
/// then the project's files streamed from its storage (local or S3), then the manifest. Nothing is held in memory whole.
/// </summary>
public static class BackupWriter
{
    public static async Task<BackupManifest> WriteAsync(Project p, Stream output, CancellationToken ct = default)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var (collections, records) = await p.Database.SnapshotAsync((conn, tx) => WriteDataAsync(p, conn, tx, zip, ct), ct);
        var (files, bytes) = await WriteFilesAsync(p, zip, ct);
        var manifest = new BackupManifest
        {
            Project = p.Name,
            Database = p.Dialect.Name,
            Created = DateTimes.Now(),
            Collections = collections,
            Records = records,
            Files = files,
            FileBytes = bytes,
        };
        await using (var s = await zip.CreateEntry(BackupFormat.ManifestEntry, CompressionLevel.Fastest).OpenAsync(ct))
            await JsonSerializer.SerializeAsync(s, manifest, cancellationToken: ct);
        return manifest;
    }

    private static async Task<(int Collections, long Records)> WriteDataAsync(Project p, System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx,
        ZipArchive zip, CancellationToken ct)
    {
        var db = p.Database;
        var collections = new List<Collection>();
        await using (var cmd = db.Command(conn, tx, "SELECT \"data\" FROM \"_collections\" ORDER BY \"created\", \"id\""))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) collections.Add(CollectionJson.ReadStored(r.GetString(0)));
        }
        await using (var s = await zip.CreateEntry(BackupFormat.CollectionsEntry, CompressionLevel.Fastest).OpenAsync(ct))
        await using (var w = new Utf8JsonWriter(s))
        {
            w.WriteStartArray();
            foreach (var c in collections) CollectionJson.Write(w, c, includeSecrets: true);
            w.WriteEndArray();
        }

        var prm = new SqlParams();
        var settings = await db.ScalarAsync(conn, tx, $"SELECT \"value\" FROM \"_params\" WHERE \"id\" = {prm.Add("settings")}", prm, ct) as string ?? "{}";
        await using (var s = await zip.CreateEntry(BackupFormat.SettingsEntry, CompressionLevel.Fastest).OpenAsync(ct))
            await s.WriteAsync(System.Text.Encoding.UTF8.GetBytes(settings), ct);

        await using (var s = await zip.CreateEntry(BackupFormat.ApiKeysEntry, CompressionLevel.Fastest).OpenAsync(ct))
            await RowDumper.DumpAsync(db, conn, tx, BackupFormat.ApiKeysTable, BackupFormat.ApiKeyColumns, s, ct);

        long records = 0;
        foreach (var c in collections.Where(c => !c.IsView))
        {
            await using var s = await zip.CreateEntry(BackupFormat.RecordsEntry(c.Id), CompressionLevel.Fastest).OpenAsync(ct);
            records += await RowDumper.DumpAsync(db, conn, tx, c.Name, BackupFormat.ColumnsOf(c), s, ct);
        }
        return (collections.Count, records);
    }

    private static async Task<(long Files, long Bytes)> WriteFilesAsync(Project p, ZipArchive zip, CancellationToken ct)
    {
        var storage = p.Storage;
        long files = 0, bytes = 0;
        await foreach (var o in storage.ListAsync("", ct))
        {
            await using var content = await storage.OpenReadAsync(o.Key, 0, null, ct);
            if (content is null) continue; // deleted meanwhile
            var entry = zip.CreateEntry(BackupFormat.StorageFolder + o.Key, CompressionLevel.Fastest);
            entry.LastWriteTime = o.LastModified;
            await using var s = await entry.OpenAsync(ct);
            await content.Stream.CopyToAsync(s, 81920, ct);
            files++;
            bytes += content.Info.Length;
        }
        return (files, bytes);
    }
}
