using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Files;

/// <summary>
/// Deletes stored objects no record references: files left by a crash between a file write and its transaction's
/// commit, or between a commit and the deletion of replaced files, and the files of deleted collections.
/// An original is kept while its record lists it in a file field; a thumbnail while its original is kept. Objects
/// younger than the grace period are never touched (their transaction may still be running).
/// </summary>
public static class FileGarbageCollector
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(1);
    private const int BatchSize = 500;

    public sealed record Result(int Scanned, int Deleted, long BytesFreed);

    public static async Task<Result> RunAsync(Project p, TimeSpan grace, bool dryRun = false, CancellationToken ct = default)
    {
        var storage = p.Storage;
        var cutoff = DateTimeOffset.UtcNow - grace;
        // collection id → record id → objects (with the file name they belong to)
        var byRecord = new Dictionary<string, Dictionary<string, List<(StoredObject Obj, string File)>>>(StringComparer.Ordinal);
        var orphans = new List<StoredObject>();
        var scanned = 0;
        await foreach (var o in storage.ListAsync("", ct))
        {
            scanned++;
            if (o.LastModified > cutoff) continue;
            var parts = FileKeys.ParseOriginal(o.Key) ?? FileKeys.ParseThumb(o.Key);
            if (parts is not { } k)
            {
                orphans.Add(o); // not a shape this server writes under its layout
                continue;
            }
            if (!byRecord.TryGetValue(k.CollectionId, out var records)) byRecord[k.CollectionId] = records = new(StringComparer.Ordinal);
            if (!records.TryGetValue(k.RecordId, out var list)) records[k.RecordId] = list = [];
            list.Add((o, k.Filename));
        }
        foreach (var (collectionId, records) in byRecord)
        {
            var c = p.Collections.FindById(collectionId);
            var fileFields = c?.Fields.OfType<FileField>().ToList() ?? [];
            if (c is null || c.IsView || fileFields.Count == 0)
            {
                orphans.AddRange(records.Values.SelectMany(l => l.Select(x => x.Obj)));
                continue;
            }
            foreach (var chunk in records.Keys.Chunk(BatchSize))
            {
                var referenced = await ReferencedAsync(p, c, fileFields, chunk, ct);
                foreach (var id in chunk)
                {
                    var files = referenced.GetValueOrDefault(id);
                    orphans.AddRange(records[id].Where(x => files is null || !files.Contains(x.File)).Select(x => x.Obj));
                }
            }
        }
        long bytes = 0;
        foreach (var o in orphans)
        {
            if (!dryRun) await storage.DeleteAsync(o.Key, ct);
            bytes += o.Length;
        }
        return new Result(scanned, orphans.Count, bytes);
    }

    /// <summary>The file names each existing record of the chunk lists (records missing from the result do not exist).</summary>
    private static Task<Dictionary<string, HashSet<string>>> ReferencedAsync(Project p, Collection c, List<FileField> fields, string[] ids, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            var d = p.Dialect;
            var prm = new Data.SqlParams();
            var sql = $"SELECT {d.Quote("id")}, {string.Join(", ", fields.Select(f => d.Quote(f.Name)))} FROM {d.Quote(c.Name)} WHERE {d.Quote("id")} IN ({string.Join(", ", ids.Select(prm.Add))})";
            await using var cmd = p.Database.Command(conn, null, sql, prm);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct))
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < fields.Count; i++)
                {
                    var r = new Record(c) { Values = { [fields[i].Name] = fields[i].Read(reader, i + 1) } };
                    set.UnionWith(r.GetStrings(fields[i].Name));
                }
                result[reader.GetString(0)] = set;
            }
            return result;
        }, ct);
}
