using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// Makes a backup or restore of a project exclusive beyond this process: on PostgreSQL an advisory lock named after the
/// project's schema (every node of a cluster shares the database), on SQLite an exclusive lock on a file in the project's
/// backups folder (a CLI backup beside a running server). The operating system or the database releases either when
/// the process dies, so a crash never leaves a project locked.
/// </summary>
public static class BackupLock
{
    /// <summary>The lock, or null when another process or node holds it.</summary>
    public static async Task<IAsyncDisposable?> TryAcquireAsync(Project p, CancellationToken ct)
    {
        if (p.Database is PostgresProjectDatabase pg) return await pg.TryAdvisoryLockAsync("papergao-backup:" + pg.Schema, ct);
        var dir = BackupStore.LocalDirOf(p);
        Directory.CreateDirectory(dir);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, a sharing lock on Windows: held until disposed.
            // ".lock" is never a backup name, so it is never listed.
            return new FileStream(Path.Combine(dir, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
