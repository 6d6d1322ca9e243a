using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// Runs again the sends that did not finish: when a project opens (after a restart) and every
/// <see cref="Interval"/> for the open projects, it claims the "_pushJobs" rows whose lease has passed (their node
/// stopped, or died and stopped renewing) and queues them here. A claim is a conditional UPDATE, so across nodes one
/// node takes each job. A resumed send continues after its cursor (the last page all of whose devices were done):
/// devices of the pages in flight at the stop may receive it twice.
/// </summary>
public sealed class PushResumer(ProjectRegistry projects, PushQueues queues, ILogger<PushResumer> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        projects.Opened += OnOpened;
        try
        {
            using var timer = new PeriodicTimer(Interval, projects.Time);
            var lastRenewal = DateTimeOffset.MinValue;
            do
            {
                var now = projects.Time.GetUtcNow();
                var renew = now - lastRenewal >= PushJobStore.LeaseTime / 4;
                if (renew) lastRenewal = now;
                foreach (var project in projects.OpenProjects.ToList())
                {
                    if (renew) await RenewAsync(project, stoppingToken);
                    await ResumeAsync(project, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            projects.Opened -= OnOpened;
        }
    }

    private void OnOpened(Project project) => _ = ResumeAsync(project, CancellationToken.None);

    /// <summary>Extends the leases of the sends this process holds for the project (waiting or running).</summary>
    private async Task RenewAsync(Project project, CancellationToken ct)
    {
        var held = queues.HeldBy(project);
        if (held.Count == 0 || project.IsClosed) return;
        try { await PushJobStore.RenewAsync(project.Database, held, PushJobStore.LeaseFromNow(project.Time), ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!project.IsClosed) log.LogWarning("Renewing the push leases of project {Project} failed: {Message}", project.Name, e.Message);
        }
    }

    public async Task ResumeAsync(Project project, CancellationToken ct)
    {
        if (project.IsClosed) return;
        try
        {
            var queue = queues.For(project);
            var free = PushLimits.QueueCapacity - queue.Waiting;
            if (free <= 0) return;
            var held = queues.HeldBy(project).ToHashSet(StringComparer.Ordinal);
            foreach (var job in await PushJobStore.ClaimExpiredAsync(project.Database, project.Time, free, held, ct))
            {
                var stored = await PushSendStore.FindAsync(project.Database, job.SendId, ct);
                if (stored is not null)
                    await PushSendStore.UpdateAsync(project.Database, stored with { Status = PushSendLog.Queued, Error = "Resumed after a restart.", Updated = project.Now() }, ct);
                if (!queues.TryEnqueue(project, job)) await PushJobStore.SetLeaseAsync(project.Database, job.SendId, "", ct);
                else log.LogInformation("Push send {SendId} of project {Project} resumed", job.SendId, project.Name);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!project.IsClosed) log.LogWarning("Resuming the push sends of project {Project} failed: {Message}", project.Name, e.Message);
        }
    }
}
