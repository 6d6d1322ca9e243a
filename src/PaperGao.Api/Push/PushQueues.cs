using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// The send queue of each open project of one server (a singleton of its services: the API, the resumer and the
/// functions' $push.send all use the server's own), made on first use and owned by the project (closed with it). Nothing
/// is static, so several servers in one process (tests) never reach each other's queues, clients or held sends. A send
/// that fails unexpectedly is logged by id only (never its payload or a key) and its log row marked failed.
/// </summary>
public sealed class PushQueues(ILogger<PushQueues> log)
{
    private readonly ConditionalWeakTable<Project, PushQueue> _queues = new();
    private readonly Lock _gate = new();

    /// <summary>The sends this server holds (waiting or running), by id: their leases are renewed, they are never claimed here again.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Project> _held = new(StringComparer.Ordinal);

    /// <summary>Queues a send whose job row is written; false when the project's queue is full.</summary>
    public bool TryEnqueue(Project project, PushJob job)
    {
        _held[job.SendId] = project;
        if (For(project).TryEnqueue(job)) return true;
        _held.TryRemove(job.SendId, out _);
        return false;
    }

    /// <summary>The ids of the sends of <paramref name="project"/> this process holds.</summary>
    public IReadOnlyList<string> HeldBy(Project project) => [.. _held.Where(h => ReferenceEquals(h.Value, project)).Select(h => h.Key)];

    /// <summary>The outbound client deliveries use (null: the shared guarded client). Tests and the bench keep the default.</summary>
    public HttpClient? Client { get; init; }

    /// <summary>
    /// The outbound client APNs deliveries use (null: <see cref="Client"/>, else the shared guarded client). A test sets
    /// a guarded client that trusts its stand-in's self-signed certificate for this client alone.
    /// </summary>
    public HttpClient? ApnsClient { get; set; }

    /// <summary>Whether this server made a queue for the project (tests: which server a send went through).</summary>
    public bool Serves(Project project) => _queues.TryGetValue(project, out _);

    public PushQueue For(Project project)
    {
        lock (_gate)
        {
            if (_queues.TryGetValue(project, out var existing)) return existing;
            var queue = new PushQueue(PushLimits.QueueCapacity,
                (job, ct) => RunAsync(project, job, ct),
                job => ReleaseAsync(project, job),
                (job, e) =>
                {
                    log.LogError(e, "Push send {SendId} of project {Project} failed", job.SendId, project.Name);
                    _ = MarkAsync(project, job, "The send failed unexpectedly; see the server log.");
                });
            if (!project.Own(queue))
            {
                _ = queue.DisposeAsync().AsTask();
                throw ApiError.NotFound("The project is closed.");
            }
            _queues.Add(project, queue);
            return queue;
        }
    }

    /// <summary>Runs one send (PushResumer renews its lease meanwhile); the job row goes once the send is done or failed.</summary>
    private async Task RunAsync(Project project, PushJob job, CancellationToken ct)
    {
        try
        {
            await new PushDelivery(project, Client, apnsClient: ApnsClient).RunAsync(job, ct);
            await PushJobStore.DeleteAsync(project.Database, job.SendId, CancellationToken.None);
        }
        finally
        {
            _held.TryRemove(job.SendId, out _);
        }
    }

    /// <summary>
    /// The server is stopping (or the project closing) before the send finished: its job is handed back (lease
    /// cleared) so the next start, or another node, runs it again. If the database is already closed the lease
    /// simply runs out.
    /// </summary>
    private async Task ReleaseAsync(Project project, PushJob job)
    {
        _held.TryRemove(job.SendId, out _);
        try { await PushJobStore.SetLeaseAsync(project.Database, job.SendId, "", CancellationToken.None); }
        catch (Exception)
        {
            // closing
        }
    }

    private async Task MarkAsync(Project project, PushJob job, string error)
    {
        _held.TryRemove(job.SendId, out _);
        try
        {
            var now = project.Now();
            await PushSendStore.UpdateAsync(project.Database,
                new PushSendLog(job.SendId, PushSendLog.Failed, job.Target.Describe(), job.Recipients, 0, 0, 0, 0, error, job.Created, now), CancellationToken.None);
            await PushJobStore.DeleteAsync(project.Database, job.SendId, CancellationToken.None);
        }
        catch (Exception)
        {
            // The database may be closing with the project; the job then runs again after a restart.
        }
    }
}
