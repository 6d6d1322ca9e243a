using System.Threading.Channels;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Push;

/// <summary>
/// Runs one send of a project: reads the matching devices page by page (keyset, <see cref="PushLimits.PageSize"/>)
/// into a small channel that <see cref="PushLimits.Concurrency"/> workers drain, so memory stays bounded whatever the
/// audience. Each device gets up to <see cref="PushLimits.MaxAttempts"/> attempts: 429, 5xx and network failures are
/// retried after Retry-After (capped at <see cref="PushLimits.MaxRetryDelay"/>) or an exponential backoff; a 404/410
/// removes the device. The log row is updated after each page and at the end. Once every device of a page is done the
/// cursor (the page's last id, and the counts so far) is stored in the job's row: a send resumed after a stop continues
/// after the last finished page, and its counts start from the cursor's (devices past it are reached, and counted, again).
/// </summary>
/// <param name="client">The outbound client for Web Push and FCM (default: the shared guarded client).</param>
/// <param name="apnsClient">The outbound client for APNs (default: the shared guarded client; a test gives one that trusts its stand-in's certificate).</param>
public sealed class PushDelivery(Project project, HttpClient? client = null, int concurrency = PushLimits.Concurrency, HttpClient? apnsClient = null)
{
    private long _accepted, _rejected, _invalid, _retried;

    public async Task RunAsync(PushJob job, CancellationToken ct)
    {
        var start = job.Progress;
        (_accepted, _rejected, _invalid, _retried) = (start.Accepted, start.Rejected, start.Invalid, start.Retried);
        var log = new PushSendLog(job.SendId, PushSendLog.Sending, job.Target.Describe(), job.Recipients, 0, 0, 0, 0, "", job.Created, project.Now());
        await PushSendStore.UpdateAsync(project.Database, Snapshot(log, PushSendLog.Sending), ct);
        var settings = PushSettings.From(project.Settings.Extra[PushSettings.Section]);
        var (senders, owned) = CreateSenders(settings);
        using var keys = owned;
        if (senders.Count == 0)
        {
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "Push is not enabled, or no platform is fully configured.", Updated = project.Now() }, ct);
            return;
        }
        string where;
        IReadOnlyList<object?> values;
        try
        {
            var (w, p) = PushRecipients.Condition(project, job.Target, [.. senders.Keys]);
            (where, values) = (w, p.Values);
        }
        catch (Exception e) when (e is Filter.FilterException or ApiError)
        {
            await PushSendStore.UpdateAsync(project.Database, log with { Status = PushSendLog.Failed, Error = "The recipients could not be resolved: " + e.Message, Updated = project.Now() }, ct);
            return;
        }

        var devices = Channel.CreateBounded<(PushDevice Device, Page Page)>(new BoundedChannelOptions(PushLimits.PageSize) { SingleWriter = true });
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var (d, page) in devices.Reader.ReadAllAsync(ct))
            {
                try
                {
                    if (senders.TryGetValue(d.Platform, out var sender)) await DeliverAsync(sender, d, job.Message, page, ct);
                    else page.Count(ref _rejected, ref page.Rejected); // its platform was switched off after the send was queued
                }
                catch (Exception) when (!ct.IsCancellationRequested) { page.Count(ref _rejected, ref page.Rejected); } // e.g. the removal of a gone device failed
                finally { Interlocked.Decrement(ref page.Remaining); }
            }
        }, ct)).ToArray();
        // The pages handed to the workers, oldest first; the cursor moves past a page once all of its devices are done.
        var pending = new Queue<Page>();
        var progress = start;
        try
        {
            var cap = Math.Min(job.Recipients, settings.MaxRecipients);
            while (progress.Read + pending.Sum(x => x.Size) < cap)
            {
                var after = pending.Count > 0 ? pending.Last().LastId : progress.After;
                var read = progress.Read + pending.Sum(x => x.Size);
                var list = await PushDeviceStore.PageAsync(project.Database, where, values, after, (int)Math.Min(PushLimits.PageSize, cap - read), ct);
                if (list.Count == 0) break;
                var page = new Page(list[^1].Id, list.Count);
                pending.Enqueue(page);
                foreach (var d in list) await devices.Writer.WriteAsync((d, page), ct);
                progress = await CommitAsync(job, progress, pending, ct);
                await PushSendStore.UpdateAsync(project.Database, Snapshot(log, PushSendLog.Sending), ct);
            }
        }
        finally
        {
            devices.Writer.TryComplete();
        }
        await Task.WhenAll(workers);
        var problems = string.Join(" ", senders.Values.Select(x => x.Problem).OfType<string>());
        await PushSendStore.UpdateAsync(project.Database, Snapshot(log, PushSendLog.Done) with { Error = problems }, ct);
    }

    /// <summary>Moves the cursor past the finished pages at the head and stores it with their counts (when it moved).</summary>
    private async Task<PushProgress> CommitAsync(PushJob job, PushProgress progress, Queue<Page> pending, CancellationToken ct)
    {
        var moved = false;
        while (pending.TryPeek(out var head) && Volatile.Read(ref head.Remaining) == 0)
        {
            pending.Dequeue();
            progress = new PushProgress(head.LastId, progress.Read + head.Size, progress.Accepted + Volatile.Read(ref head.Accepted),
                progress.Rejected + Volatile.Read(ref head.Rejected), progress.Invalid + Volatile.Read(ref head.Invalid), progress.Retried + Volatile.Read(ref head.Retried));
            moved = true;
        }
        if (moved) await PushJobStore.SaveProgressAsync(project.Database, job with { Progress = progress }, ct);
        return progress;
    }

    /// <summary>One page of devices handed to the workers: how many are still being delivered, and its own outcome counts.</summary>
    private sealed class Page(string lastId, int size)
    {
        public readonly string LastId = lastId;
        public readonly int Size = size;
        public int Remaining = size;
        public long Accepted, Rejected, Invalid, Retried;

        /// <summary>Counts one outcome for the send and for this page.</summary>
        public void Count(ref long total, ref long own)
        {
            Interlocked.Increment(ref total);
            Interlocked.Increment(ref own);
        }
    }

    /// <summary>A sender per platform that is switched on and whose credentials parse; the keys they hold are disposed with the returned object.</summary>
    private (Dictionary<string, IPushSender> Senders, IDisposable Owned) CreateSenders(PushSettings settings)
    {
        var senders = new Dictionary<string, IPushSender>(StringComparer.Ordinal);
        var owned = new Disposables();
        var ready = settings.ReadyPlatforms();
        if (ready.Contains(PushDevice.Web) && owned.Add(settings.Keys.TryCreateSigner()) is { } vapid)
            senders[PushDevice.Web] = new WebPushSender(vapid, settings.VapidPublicKey, settings.Subject, client);
        if (ready.Contains(PushDevice.Fcm) && FcmServiceAccount.TryParse(settings.FcmServiceAccount, out _) is { } account)
            senders[PushDevice.Fcm] = new FcmSender(account, settings.FcmEndpoint, settings.FcmTokenUrl, client);
        if (ready.Contains(PushDevice.Apns) && owned.Add(settings.ApnsKey.TryCreateSigner()) is { } apns)
            senders[PushDevice.Apns] = new ApnsSender(settings.ApnsKey, apns, settings.ApnsTopic, settings.ApnsBaseUrl, apnsClient ?? client);
        return (senders, owned);
    }

    private sealed class Disposables : IDisposable
    {
        private readonly List<IDisposable> _items = [];

        public T? Add<T>(T? item) where T : class, IDisposable
        {
            if (item is not null) _items.Add(item);
            return item;
        }

        public void Dispose()
        {
            foreach (var i in _items) i.Dispose();
        }
    }

    private PushSendLog Snapshot(PushSendLog log, string status) => log with
    {
        Status = status,
        Accepted = Interlocked.Read(ref _accepted),
        Rejected = Interlocked.Read(ref _rejected),
        Invalid = Interlocked.Read(ref _invalid),
        Retried = Interlocked.Read(ref _retried),
        Updated = project.Now(),
    };

    private async Task DeliverAsync(IPushSender sender, PushDevice device, PushMessage message, Page page, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await sender.SendAsync(device, message, ct);
            switch (outcome.Kind)
            {
                case PushOutcomeKind.Accepted:
                    page.Count(ref _accepted, ref page.Accepted);
                    return;
                case PushOutcomeKind.Gone:
                    page.Count(ref _invalid, ref page.Invalid);
                    await PushDeviceStore.DeleteGoneAsync(project.Database, device, ct);
                    return;
                case PushOutcomeKind.Rejected:
                    page.Count(ref _rejected, ref page.Rejected);
                    return;
            }
            if (attempt >= PushLimits.MaxAttempts)
            {
                page.Count(ref _rejected, ref page.Rejected);
                return;
            }
            page.Count(ref _retried, ref page.Retried);
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
