using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Backups;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Backups;

/// <summary>
/// Runs the projects' scheduled backups (Core/Backups/BackupSchedule): every 30 seconds each project's "backups.cron" is
/// checked; a due backup is claimed by one node only. Failures are logged, never fatal.
/// </summary>
public sealed class BackupScheduler(ProjectRegistry registry, BackupService service, ILogger<BackupScheduler> log) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, registry.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                IReadOnlyList<string> names;
                try { names = await registry.ListAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogWarning(e, "Backup schedule: listing projects failed"); continue; }
                foreach (var name in names) await RunAsync(name, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task RunAsync(string name, CancellationToken ct)
    {
        try
        {
            if (await registry.GetAsync(name, ct) is not { } p) return;
            if (await BackupSchedule.RunIfDueAsync(service, p, p.Time.GetUtcNow(), ct) is { } created)
                log.LogInformation("Scheduled backup {Backup} of project {Project} created", created, name);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(e, "Scheduled backup of project {Project} failed", name);
        }
    }
}
