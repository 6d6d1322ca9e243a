using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// One send, whoever asks (POST /api/push/send, a function's $push.send): validates the body, counts the recipients
/// on the platforms that are switched on, and either reports them (dryRun) or writes the log row and queues the send.
/// Never waits on a push service. Throws <see cref="ApiError"/> (400 with field errors, 429 when the queue is full).
/// </summary>
public static class PushSendService
{
    private const int DryRunListed = 100;

    /// <returns>The queued send's log (Log not null), or the dry run's report.</returns>
    public static async Task<(PushSendLog? Log, JsonObject Answer)> SendAsync(Project project, PushQueues queues, JsonObject body, CancellationToken ct)
    {
        var (target, message, dryRun) = PushSendInput.Parse(project, body);
        var settings = PushSettings.From(project.Settings.Extra[PushSettings.Section]);
        var platforms = settings.ReadyPlatforms();
        var (where, p) = Recipients(project, target, platforms);
        var recipients = await PushDeviceStore.CountAsync(project.Database, where, p, ct);
        if (dryRun)
        {
            var first = await PushDeviceStore.PageAsync(project.Database, where, p.Values, "", DryRunListed, ct);
            return (null, new JsonObject
            {
                ["dryRun"] = true,
                ["recipients"] = recipients,
                ["maxRecipients"] = settings.MaxRecipients,
                ["platforms"] = new JsonArray([.. platforms.Select(x => (JsonNode)x)]),
                ["devices"] = new JsonArray([.. first.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["collectionId"] = d.CollectionId, ["userId"] = d.UserId, ["platform"] = d.Platform })]),
            });
        }
        if (platforms.Count == 0)
            throw ApiError.BadRequest("Push is not enabled: switch on and configure Web Push, FCM or APNs in the push settings.");
        if (recipients > settings.MaxRecipients)
        {
            var errors = new ErrorData().Add("users", new FieldError("validation_too_many_recipients",
                $"The send reaches {recipients} devices; the project allows at most {settings.MaxRecipients} per send (settings push.maxRecipients)."));
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        }

        queues.For(project); // a closed project fails here, before anything is written
        var now = project.Now();
        var log = new PushSendLog(PushDeviceStore.NewId(), PushSendLog.Queued, target.Describe(), recipients, 0, 0, 0, 0, "", now, now);
        var job = new PushJob(log.Id, target, message, recipients, now);
        await PushSendStore.InsertAsync(project.Database, log, ct);
        await PushJobStore.InsertAsync(project.Database, job, PushJobStore.LeaseFromNow(project.Time), ct);
        if (!queues.TryEnqueue(project, job))
        {
            await PushJobStore.DeleteAsync(project.Database, job.SendId, ct);
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "The push queue was full.", Updated = project.Now() }, ct);
            throw new ApiError(429, $"The project's push queue is full ({PushLimits.QueueCapacity} sends waiting); try again later.");
        }
        return (log, PushSendApi.ToJson(log));
    }

    private static (string Where, Core.Data.SqlParams Params) Recipients(Project project, PushTarget target, IReadOnlyList<string> platforms)
    {
        try { return PushRecipients.Condition(project, target, platforms); }
        catch (FilterException ex)
        {
            var errors = new ErrorData().Add("filter", new FieldError("validation_invalid_filter", ex.Message));
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        }
    }
}
