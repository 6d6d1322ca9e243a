using PaperGao.Core.Files;

namespace PaperGao.Core.Backups;

/// <summary>
/// Postpones a project's file deletions while a backup runs, so the files of the backup's data snapshot are all still
/// there when they are copied (a record deleted, or a file replaced, after the snapshot keeps its file until the backup
/// ends). When the last hold ends, the postponed deletions run, each deleting only objects written before it was asked
/// for (a file written again under the same key meanwhile stays). A crash loses the queue: the objects become orphans
/// that the file garbage collector removes.
/// </summary>
public sealed class FileDeletionHold
{
    private readonly Lock _lock = new();
    private int _holds;
    private List<Deferred> _queue = [];

    private sealed record Deferred(IFileStorage Storage, string KeyOrPrefix, bool IsPrefix, DateTimeOffset At);

    /// <summary>True while at least one hold is active.</summary>
    public bool IsHeld { get { lock (_lock) return _holds > 0; } }

    /// <summary>How many deletions wait for the holds to end.</summary>
    public int Pending { get { lock (_lock) return _queue.Count; } }

    /// <summary>Starts a hold; disposing it ends it (and runs the postponed deletions when it was the last one).</summary>
    public IAsyncDisposable Hold()
    {
        lock (_lock) _holds++;
        return new Releaser(this);
    }

    /// <summary>Queues the deletion when a hold is active; false when it must run now.</summary>
    internal bool TryDefer(IFileStorage storage, string keyOrPrefix, bool isPrefix)
    {
        lock (_lock)
        {
            if (_holds == 0) return false;
            _queue.Add(new Deferred(storage, keyOrPrefix, isPrefix, DateTimeOffset.UtcNow));
            return true;
        }
    }

    private async Task ReleaseAsync()
    {
        List<Deferred> run;
        lock (_lock)
        {
            if (--_holds > 0 || _queue.Count == 0) return;
            run = _queue;
            _queue = [];
        }
        foreach (var d in run)
        {
            try
            {
                if (!d.IsPrefix)
                {
                    if (await d.Storage.StatAsync(d.KeyOrPrefix) is { } o && o.LastModified <= d.At) await d.Storage.DeleteAsync(o.Key);
                    continue;
                }
                var stale = new List<string>();
                await foreach (var o in d.Storage.ListAsync(d.KeyOrPrefix))
                {
                    if (o.LastModified <= d.At) stale.Add(o.Key);
                }
                foreach (var key in stale) await d.Storage.DeleteAsync(key);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or UnauthorizedAccessException)
            {
                // Left as an orphan for the file garbage collector, like a deletion interrupted by a crash.
            }
        }
    }

    private sealed class Releaser(FileDeletionHold hold) : IAsyncDisposable
    {
        private int _done;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) await hold.ReleaseAsync();
        }
    }
}
