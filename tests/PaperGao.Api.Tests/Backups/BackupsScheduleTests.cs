using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Backups;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>backups.cron / backups.cronMaxKeep: a due backup is taken once (also when two nodes race), the newest N scheduled ones are kept.</summary>
public sealed class BackupsScheduleTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Scheduled_backups_run_when_due_once_and_keep_the_newest(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { backups = new { cron = "0 3 * * *", cronMaxKeep = 2 } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        await BackupsTestData.CreateBackupAsync(su, "manual.zip", ct);
        var registry = (ProjectRegistry)app.Services.GetService(typeof(ProjectRegistry))!;
        var service = (BackupService)app.Services.GetService(typeof(BackupService))!;
        var p = (await registry.GetAsync("main", ct))!;

        var start = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Null(await BackupSchedule.RunIfDueAsync(service, p, start, ct)); // the schedule starts now
        Assert.Null(await BackupSchedule.RunIfDueAsync(service, p, start.AddHours(14), ct)); // 02:00 next day: not yet
        var created = new List<string>();
        for (var day = 1; day <= 4; day++)
        {
            var at = start.AddDays(day).AddHours(-8.5); // 03:30
            // Two "nodes" check at the same moment: one takes it.
            var results = await Task.WhenAll(BackupSchedule.RunIfDueAsync(service, p, at, ct), BackupSchedule.RunIfDueAsync(service, p, at, ct)
                .ContinueWith(t => t.IsFaulted ? null : t.Result, TaskScheduler.Default));
            created.Add(Assert.Single(results, r => r is not null)!);
            Assert.Null(await BackupSchedule.RunIfDueAsync(service, p, at.AddMinutes(5), ct));
        }
        Assert.All(created, n => Assert.StartsWith(BackupNames.AutoPrefix + "papergao_", n, StringComparison.Ordinal));
        var keys = (await GetJsonAsync(su, "/api/backups", ct)).AsArray().Select(b => b!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([.. created.TakeLast(2).Append("manual.zip").Order(StringComparer.Ordinal)], keys);
    }
}
