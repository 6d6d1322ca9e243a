using System.Text.Json.Nodes;
using Cronos;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Backups;

/// <summary>
/// The scheduled backups of a project (settings "backups.cron", 5-field cron in UTC, and "backups.cronMaxKeep", as in
/// PocketBase). The last run is kept in the project's "_params" and claimed with a compare-and-set UPDATE, so when
/// several nodes share a PostgreSQL database exactly one of them takes each scheduled backup. After a scheduled backup
/// the oldest scheduled ones (named "auto_pb_backup_...") beyond cronMaxKeep are deleted; other backups are never touched.
/// </summary>
public static class BackupSchedule
{
    private const string ParamId = "backups.lastRun";

    /// <summary>The schedule of the settings, or null when none (empty or invalid cron).</summary>
    public static (CronExpression Cron, int MaxKeep)? Of(Project p)
    {
        var section = p.Settings.Extra["backups"] as JsonObject;
        var raw = section?["cron"] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";
        if (raw.Length == 0 || !CronExpression.TryParse(raw, CronFormat.Standard, out var cron)) return null;
        var keep = section?["cronMaxKeep"] is JsonValue k && k.TryGetValue<double>(out var d) ? (int)d : 0;
        return (cron, keep);
    }

    /// <summary>Takes the scheduled backup when one is due at <paramref name="now"/> and this node claimed it; returns its name or null.</summary>
    public static async Task<string?> RunIfDueAsync(BackupService service, Project p, DateTimeOffset now, CancellationToken ct = default)
    {
        if (Of(p) is not var (cron, maxKeep)) return null;
        var last = await LastRunAsync(p, now, ct);
        var next = cron.GetNextOccurrence(last.UtcDateTime, TimeZoneInfo.Utc);
        if (next is null || next.Value > now.UtcDateTime) return null;
        if (!await ClaimAsync(p, last, now, ct)) return null; // another node took it
        var name = BackupNames.Generate(p.Settings.Meta.AppName, BackupNames.AutoPrefix, now);
        await service.CreateAsync(p, name, ct);
        if (maxKeep > 0) await PruneAsync(p, maxKeep, ct);
        return name;
    }

    private static async Task PruneAsync(Project p, int maxKeep, CancellationToken ct)
    {
        using var store = BackupStore.For(p);
        var auto = (await store.ListAsync(ct)).Where(b => b.Key.StartsWith(BackupNames.AutoPrefix, StringComparison.Ordinal)).ToList();
        foreach (var old in auto.Skip(maxKeep)) await store.DeleteAsync(old.Key, ct);
    }

    /// <summary>The stored last run; the first time, "now" is stored (a new schedule starts from now, it does not catch up).</summary>
    private static async Task<DateTimeOffset> LastRunAsync(Project p, DateTimeOffset now, CancellationToken ct)
    {
        var db = p.Database;
        var prm = new SqlParams();
        var stored = await db.ReadAsync(conn => db.ScalarAsync(conn, null, $"SELECT \"value\" FROM \"_params\" WHERE \"id\" = {prm.Add(ParamId)}", prm, ct), ct) as string;
        if (stored is not null && DateTimeOffset.TryParse(stored, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var last)) return last;
        var text = Format(now);
        await db.WriteAsync(async tx =>
        {
            var q = new SqlParams();
            var created = q.Add(p.Now());
            await db.ExecuteAsync(tx, $"INSERT INTO \"_params\" (\"id\", \"value\", \"created\", \"updated\") VALUES ({q.Add(ParamId)}, {q.Add(text)}, {created}, {created}) ON CONFLICT (\"id\") DO NOTHING", q, ct);
        }, ct);
        return await LastRunAsync(p, now, ct);
    }

    private static Task<bool> ClaimAsync(Project p, DateTimeOffset last, DateTimeOffset now, CancellationToken ct) =>
        p.Database.WriteAsync(async tx =>
        {
            var q = new SqlParams();
            var sql = $"UPDATE \"_params\" SET \"value\" = {q.Add(Format(now))}, \"updated\" = {q.Add(p.Now())} WHERE \"id\" = {q.Add(ParamId)} AND \"value\" = {q.Add(Format(last))}";
            return await p.Database.ExecuteAsync(tx, sql, q, ct) == 1;
        }, ct);

    private static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
