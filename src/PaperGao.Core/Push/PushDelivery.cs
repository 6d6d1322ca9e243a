using System.Threading.Channels;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Push;

/// <summary>
/// Runs one send of a project: reads the matching devices page by page (keyset, <see cref="PushLimits.PageSize"/>)
/// into a small channel that <see cref="PushLimits.Concurrency"/> workers drain, so memory stays bounded whatever the
/// audience. Each device gets up to <see cref="PushLimits.MaxAttempts"/> attempts: 429, 5xx and network failures are
/// retried after Retry-After (capped at <see cref="PushLimits.MaxRetryDelay"/>) or an exponential backoff; a 404/410
/// removes the device. The log row is updated after each page and at the end.
/// </summary>
public sealed class PushDelivery(Project project, HttpClient? client = null, int concurrency = PushLimits.Concurrency)
{
    private long _accepted, _rejected, _invalid, _retried;

    public async Task RunAsync(PushJob job, CancellationToken ct)
    {
        var log = new PushSendLog(job.SendId, PushSendLog.Sending, job.Target.Describe(), job.Recipients, 0, 0, 0, 0, "", job.Created, DateTimes.Now());
        await PushSendStore.UpdateAsync(project.Database, log, ct);
        var settings = PushSettings.From(project.Settings.Extra[PushSettings.Section]);
        using var signer = settings.Enabled ? settings.Keys.TryCreateSigner() : null;
        if (signer is null)
        {
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "Web Push is not enabled or its VAPID keys are missing.", Updated = DateTimes.Now() }, ct);
            return;
        }
        var sender = new WebPushSender(signer, settings.VapidPublicKey, settings.Subject, client);
        var payload = job.Message.Payload();
        string where;
        IReadOnlyList<object?> values;
        try
        {
            var (w, p) = PushRecipients.Condition(project, job.Target);
            (where, values) = (w, p.Values);
        }
        catch (Exception e) when (e is Filter.FilterException or ApiError)
        {
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "The recipients could not be resolved: " + e.Message, Updated = DateTimes.Now() }, ct);
            return;
        }

        var devices = Channel.CreateBounded<PushDevice>(new BoundedChannelOptions(PushLimits.PageSize) { SingleWriter = true });
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var d in devices.Reader.ReadAllAsync(ct))
            {
                try { await DeliverAsync(sender, d, job.Message, payload, ct); }
                catch (Exception) when (!ct.IsCancellationRequested) { Interlocked.Increment(ref _rejected); } // e.g. the removal of a gone device failed
            }
        }, ct)).ToArray();
        try
        {
            var after = "";
            long read = 0;
            var cap = Math.Min(job.Recipients, settings.MaxRecipients);
            while (read < cap)
            {
                var page = await PushDeviceStore.PageAsync(project.Database, where, values, after, (int)Math.Min(PushLimits.PageSize, cap - read), ct);
                if (page.Count == 0) break;
                foreach (var d in page) await devices.Writer.WriteAsync(d, ct);
                read += page.Count;
                after = page[^1].Id;
                await PushSendStore.UpdateAsync(project.Database, Snapshot(log, PushSendLog.Sending), ct);
            }
        }
        finally
        {
            devices.Writer.TryComplete();
        }
        await Task.WhenAll(workers);
        await PushSendStore.UpdateAsync(project.Database, Snapshot(log, PushSendLog.Done), ct);
    }

    private PushSendLog Snapshot(PushSendLog log, string status) => log with
    {
        Status = status,
        Accepted = Interlocked.Read(ref _accepted),
        Rejected = Interlocked.Read(ref _rejected),
        Invalid = Interlocked.Read(ref _invalid),
        Retried = Interlocked.Read(ref _retried),
        Updated = DateTimes.Now(),
    };

    private async Task DeliverAsync(WebPushSender sender, PushDevice device, PushMessage message, byte[] payload, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await sender.SendAsync(device, message, payload, ct);
            switch (outcome.Kind)
            {
                case PushOutcomeKind.Accepted:
                    Interlocked.Increment(ref _accepted);
                    return;
                case PushOutcomeKind.Gone:
                    Interlocked.Increment(ref _invalid);
                    await PushDeviceStore.DeleteGoneAsync(project.Database, device, ct);
                    return;
                case PushOutcomeKind.Rejected:
                    Interlocked.Increment(ref _rejected);
                    return;
            }
            if (attempt >= PushLimits.MaxAttempts)
            {
                Interlocked.Increment(ref _rejected);
                return;
            }
            Interlocked.Increment(ref _retried);
            await Task.Delay(RetryDelay(outcome.RetryAfter, attempt), ct);
        }
    }

    /// <summary>Retry-After when the service gave one (never negative, at most the cap), else 1 s, 2 s, 4 s ... plus up to 250 ms of jitter.</summary>
    public static TimeSpan RetryDelay(TimeSpan? retryAfter, int attempt)
    {
        var delay = retryAfter ?? TimeSpan.FromSeconds(Math.Pow(2, attempt - 1)) + TimeSpan.FromMilliseconds(Random.Shared.Next(250));
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        return delay > PushLimits.MaxRetryDelay ? PushLimits.MaxRetryDelay : delay;
    }
}
