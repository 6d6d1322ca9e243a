using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;

namespace PaperGao.Core.Files.Resumable;

/// <summary>
/// Uploads in progress, on local disk in a project's "uploads" folder (whatever its file storage is): the received
/// bytes in &lt;id&gt;.bin and the description in &lt;id&gt;.json. Ids are 32 random [a-z0-9] and validated before a path
/// is built from them. Appends to one upload are serialized; uploads older than <see cref="MaxAge"/> are removed by
/// <see cref="DeleteExpired"/>.
/// </summary>
public sealed partial class ResumableUploadStore(string folder, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public ResumableUpload Create(string collectionId, string recordId, string field, string filename, long length, string ownerKey)
    {
        Directory.CreateDirectory(folder);
        var upload = new ResumableUpload(RandomString.LowerAlphanumeric(32), collectionId, recordId, field, filename, length, ownerKey, clock.GetUtcNow());
        File.WriteAllBytes(DataPath(upload.Id), []);
        SaveInfo(upload);
        return upload;
    }

    public ResumableUpload? Find(string id)
    {
        if (!IsValidId(id) || !File.Exists(InfoPath(id))) return null;
        try
        {
            var info = JsonSerializer.Deserialize<ResumableUpload>(File.ReadAllBytes(InfoPath(id)));
            return info is null ? null : info with { Offset = new FileInfo(DataPath(id)).Length };
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs work with the upload locked against concurrent appends.</summary>
    public async Task<T> LockedAsync<T>(string id, Func<Task<T>> work, CancellationToken ct)
    {
        var gate = Locks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Appends up to the remaining length from the stream; returns the new offset. More bytes than declared are refused.</summary>
    public async Task<long> AppendAsync(ResumableUpload upload, Stream body, CancellationToken ct)
    {
        var remaining = upload.Length - upload.Offset;
        await using var fs = new FileStream(DataPath(upload.Id), FileMode.Append, FileAccess.Write, FileShare.Read, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long written = 0;
        int read;
        try
        {
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (written + read > remaining) throw new InvalidDataException("The upload is longer than its declared length.");
                await fs.WriteAsync(buffer.AsMemory(0, read), ct);
                written += read;
            }
        }
        finally
        {
            await fs.FlushAsync(CancellationToken.None);
        }
        return upload.Offset + written;
    }

    /// <summary>The received bytes of a complete upload, to attach to its record.</summary>
    public UploadedFile AsUploadedFile(ResumableUpload upload) =>
        new(upload.Filename, upload.Length, () => new FileStream(DataPath(upload.Id), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous));

    public void Delete(string id)
    {
        if (!IsValidId(id)) return;
        File.Delete(DataPath(id));
        File.Delete(InfoPath(id));
        Locks.TryRemove(id, out _);
    }

    /// <summary>Deletes uploads not finished within <see cref="MaxAge"/>; returns how many.</summary>
    public int DeleteExpired()
    {
        if (!Directory.Exists(folder)) return 0;
        var n = 0;
        foreach (var info in Directory.EnumerateFiles(folder, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(info);
            if (!IsValidId(id) || File.GetLastWriteTimeUtc(DataPath(id)) > DateTime.UtcNow - MaxAge) continue;
            Delete(id);
            n++;
        }
        return n;
    }

    private void SaveInfo(ResumableUpload upload) => File.WriteAllBytes(InfoPath(upload.Id), JsonSerializer.SerializeToUtf8Bytes(upload));

    private string DataPath(string id) => Path.Combine(folder, id + ".bin");

    private string InfoPath(string id) => Path.Combine(folder, id + ".json");

    [GeneratedRegex("^[a-z0-9]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
