using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// The send queue of each open project, made on first use and owned by the project (closed with it); one per project
/// in the process, whichever caller makes it. A send that fails unexpectedly is logged by id only (never its payload
/// or a key) and its log row marked failed.
/// </summary>
public sealed class PushQueues
{
    private static readonly ConditionalWeakTable<Project, PushQueue> Queues = new();
    private static readonly Lock Gate = new();
    private static volatile PushQueues? _server;
    private readonly ILogger log;

    public PushQueues(ILogger<PushQueues> log)
    {
        this.log = log;
        _server = this;
    }

    /// <summary>
    /// The project's queue for callers outside dependency injection (a function's $push.send): made with the server's
    /// PushQueues (its logger and clients) when it exists, else with the defaults.
    /// </summary>
    public static PushQueue ForProject(Project project) =>
        (_server ?? new PushQueues(Microsoft.Extensions.Logging.Abstractions.NullLogger<PushQueues>.Instance)).For(project);

    /// <summary>The outbound client deliveries use (null: the shared guarded client). Tests and the bench keep the default.</summary>
    public HttpClient? Client { get; init; }

    /// <summary>
    /// The outbound client APNs deliveries use (null: <see cref="Client"/>, else the shared guarded client). A test sets
    /// a guarded client that trusts its stand-in's self-signed certificate for this client alone.
    /// </summary>
    public HttpClient? ApnsClient { get; set; }

    public PushQueue For(Project project)
    {
        lock (Gate)
        {
            if (Queues.TryGetValue(project, out var existing)) return existing;
            var queue = new PushQueue(PushLimits.QueueCapacity,
                (job, ct) => new PushDelivery(project, Client, apnsClient: ApnsClient).RunAsync(job, ct),
                job => MarkAsync(project, job, "The server stopped before the send ran."),
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
            Queues.Add(project, queue);
            return queue;
        }
    }

    private static async Task MarkAsync(Project project, PushJob job, string error)
    {
        try
        {
            var now = DateTimes.Now();
            await PushSendStore.UpdateAsync(project.Database,
                new PushSendLog(job.SendId, PushSendLog.Failed, job.Target.Describe(), job.Recipients, 0, 0, 0, 0, error, job.Created, now), CancellationToken.None);
        }
        catch (Exception)
        {
            // The database may be closing with the project; the row then stays "queued".
        }
    }
}
