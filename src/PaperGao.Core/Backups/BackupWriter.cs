using System.IO.Compression;
using System.Text.Json;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Writes a project's backup zip (docs/backups.md) to a stream: collections, settings, API keys and every record from
/// one consistent snapshot of the database (<see cref="ProjectDatabase.SnapshotAsync{T}"/>: writers are never blocked),
/// then the files those records reference (and their thumbnails), streamed from the project's storage (local or S3),
/// then the manifest. The files match the snapshot: files of records written after it are left out, and the caller
/// holds the project's file deletions (<see cref="FileDeletionHold"/>) so files removed after it are still copied.
/// Nothing is held in memory whole except the set of referenced file keys.
/// </summary>
public static class BackupWriter
{
    /// <param name="afterSnapshot">Called once the data is written, before the files are copied (tests pause a backup there).</param>
    public static async Task<BackupManifest> WriteAsync(Project p, Stream output, CancellationToken ct = default, Func<Task>? afterSnapshot = null)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var (collections, records) = await p.Database.SnapshotAsync((conn, tx) => WriteDataAsync(p, conn, tx, zip, referenced, ct), ct);
        if (afterSnapshot is not null) await afterSnapshot();
        var (files, bytes) = await WriteFilesAsync(p, zip, referenced, ct);
        var manifest = new BackupManifest
        {
            Project = p.Name,
            Database = p.Dialect.Name,
            Created = p.Now(),
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
        ZipArchive zip, HashSet<string> referenced, CancellationToken ct)
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
        foreach (var c in collections.Where(c => !c.IsView && c.Fields.OfType<FileField>().Any()))
            await AddReferencedAsync(p, conn, tx, c, referenced, ct);
        return (collections.Count, records);
    }

    /// <summary>Adds the storage keys of the originals the collection's records list in their file fields (same snapshot).</summary>
    private static async Task AddReferencedAsync(Project p, System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, Collection c,
        HashSet<string> referenced, CancellationToken ct)
    {
        var d = p.Dialect;
        var fields = c.Fields.OfType<FileField>().ToList();
        var sql = $"SELECT {d.Quote("id")}, {string.Join(", ", fields.Select(f => d.Quote(f.Name)))} FROM {d.Quote(c.Name)}";
        await using var cmd = p.Database.Command(conn, tx, sql);
        cmd.CommandTimeout = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            for (var i = 0; i < fields.Count; i++)
            {
                var r = new Records.Record(c) { Values = { [fields[i].Name] = fields[i].Read(reader, i + 1) } };
                foreach (var name in r.GetStrings(fields[i].Name))
                {
                    if (FileKeys.IsValidSegment(name) && FileKeys.IsValidSegment(id)) referenced.Add($"{c.Id}/{id}/{name}");
                }
            }
        }
    }

    /// <summary>
    /// Copies the referenced originals and their thumbnails. Stored, not deflated: uploads are mostly compressed media, and
    /// deflating them costs CPU the project's requests need while a backup runs (bench/backup.sh).
    /// </summary>
    private static async Task<(long Files, long Bytes)> WriteFilesAsync(Project p, ZipArchive zip, HashSet<string> referenced, CancellationToken ct)
    {
        var storage = p.Storage;
        long files = 0, bytes = 0;
        await foreach (var o in storage.ListAsync("", ct))
        {
            var parts = FileKeys.ParseOriginal(o.Key) ?? FileKeys.ParseThumb(o.Key);
            if (parts is not { } k || !referenced.Contains($"{k.CollectionId}/{k.RecordId}/{k.Filename}")) continue;
            await using var content = await storage.OpenReadAsync(o.Key, 0, null, ct);
            if (content is null) continue; // a thumbnail removed meanwhile (originals of the snapshot are held)
            var entry = zip.CreateEntry(BackupFormat.StorageFolder + o.Key, CompressionLevel.NoCompression);
            entry.LastWriteTime = o.LastModified;
            await using var s = await entry.OpenAsync(ct);
            await content.Stream.CopyToAsync(s, 81920, ct);
            files++;
            bytes += content.Info.Length;
        }
        return (files, bytes);
    }
}
