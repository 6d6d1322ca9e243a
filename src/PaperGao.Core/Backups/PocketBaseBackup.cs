using System.IO.Compression;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Import.PocketBase;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Restores a PocketBase backup (a zip of its pb_data) by extracting data.db and storage/ to a temporary folder and
/// running the PocketBase importer on it with --force (one transaction: all or nothing).
/// </summary>
public static class PocketBaseBackup
{
    /// <summary>Entries a pb_data zip may hold: relative paths of plain segments (no "..", no absolute or drive paths, no backslashes).</summary>
    public static bool IsSafeEntry(string name)
    {
        if (name.Length == 0 || name.Length > FileKeys.MaxKeyLength + 16 || name[0] == '/' || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)) return false;
        var path = name.EndsWith('/') ? name[..^1] : name;
        return path.Split('/').All(s => s.Length > 0 && s is not ("." or ".."));
    }

    public static async Task RestoreAsync(ProjectRegistry registry, Project p, BackupArchive archive, string tempDir, CancellationToken ct)
    {
        var dir = Path.Combine(tempDir, "restore-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(dir);
            foreach (var e in archive.Zip.Entries)
            {
                if (e.FullName.EndsWith('/')) continue;
                var isData = e.FullName == "data.db";
                var isFile = e.FullName.StartsWith("storage/", StringComparison.Ordinal) && FileKeys.IsValid(e.FullName["storage/".Length..]);
                if (!isData && !isFile) continue; // auxiliary.db (logs), hooks, public files: not part of a restore
                var target = Path.GetFullPath(Path.Combine(dir, e.FullName.Replace('/', Path.DirectorySeparatorChar)));
                if (!target.StartsWith(dir + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw ApiError.BadRequest("The backup is not valid: an entry points outside the backup.");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using var source = await e.OpenAsync(ct);
                await using var fs = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await source.CopyToAsync(fs, 81920, ct);
            }
            try
            {
                await PocketBaseImporter.RunAsync(registry, p.Name, new PocketBaseImportOptions { PbDataDir = dir, Force = true }, ct);
            }
            catch (PocketBaseImportException ex)
            {
                throw ApiError.BadRequest("The PocketBase backup could not be restored: " + ex.Message.Replace(dir, "pb_data", StringComparison.Ordinal));
            }
        }
        catch (InvalidDataException)
        {
            throw ApiError.BadRequest("The backup is not a valid zip file (damaged or truncated).");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { /* best effort */ }
        }
    }
}
