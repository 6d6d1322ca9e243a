using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;
using PaperGao.Functions.Deploy;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Cron;

/// <summary>The state of one cron job on this node: its next tick and whether a run is in progress.</summary>
public sealed class CronJobState
{
    public string Expression { get; set; } = "";
    public DateTime? Next { get; set; }
    internal int Running;
}

/// <summary>
/// Runs due cron jobs: each tick is claimed in the project's database first (one node of a cluster wins), a run
/// that would overlap the previous one of the same job is skipped and logged, runs never block the scheduler.
/// </summary>
public static partial class CronRunner
{
    internal static async Task TickAsync(FunctionsRuntime runtime, FunctionsRuntime.ProjectState s, DateTime now, CancellationToken ct)
    {
        var set = s.Functions.Current;
        var jobs = s.Functions.CronJobs;
        foreach (var key in s.Crons.Keys.Where(k => jobs.All(j => j.Job.Key != k))) s.Crons.TryRemove(key, out _);
        if (set is null) return;
        foreach (var (index, job) in jobs)
        {
            var st = s.Crons.GetOrAdd(job.Key, _ => new CronJobState());
            if (st.Expression != job.Path || st.Next is null)
            {
                // The first tick after the set loaded (not after this check: a slow first check loses no tick).
                st.Expression = job.Path;
                st.Next = CronSchedule.Next(job.Path, s.Functions.LoadedAt > now ? now : s.Functions.LoadedAt);
            }
            if (st.Next is null || now < st.Next) continue;
            var tick = st.Next.Value;
            st.Next = CronSchedule.Next(job.Path, now);
            if (!await FunctionStore.TryClaimTickAsync(s.Functions.Project, job.Key, tick, now, ct)) continue;
            Start(runtime, s, set, index, job, st, ct);
        }
    }

    /// <summary>Starts a run in the background; false (and logged) when the previous run of the job is still going.</summary>
    internal static bool Start(FunctionsRuntime runtime, FunctionsRuntime.ProjectState s, FunctionSet set, int index, Registration job, CronJobState st, CancellationToken ct)
    {
        var log = s.Functions.Context.Log;
        var project = s.Functions.Project.Name;
        if (Interlocked.CompareExchange(ref st.Running, 1, 0) != 0)
        {
            LogSkipped(log, project, job.Key);
            s.Functions.Context.LogSink?.Invoke("warn", "cron " + job.Key, "Cron run skipped: the previous run is still running.", "");
            return false;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await s.Functions.RunCronAsync(set, index, ct);
            }
            catch (ApiError e)
            {
                LogFailed(log, project, job.Key, e.Message);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Volatile.Write(ref st.Running, 0);
            }
        }, CancellationToken.None);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cron job {Job} of project {Project} skipped: the previous run is still running")]
    private static partial void LogSkipped(ILogger log, string project, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cron job {Job} of project {Project} failed: {Error}")]
    private static partial void LogFailed(ILogger log, string project, string job, string error);
}
