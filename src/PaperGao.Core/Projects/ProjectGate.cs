namespace PaperGao.Core.Projects;

/// <summary>
/// Lets a project be paused while a restore swaps its content: requests enter and leave the gate; a pause stops new
/// entries (they wait up to a deadline, then are refused) and waits for the requests inside to leave. Long-lived
/// streams (realtime) do not enter; they are disconnected after the restore instead.
/// </summary>
public sealed class ProjectGate
{
    private readonly Lock _lock = new();
    private int _inside;
    private TaskCompletionSource? _resumed;
    private TaskCompletionSource? _drained;

    public bool IsPaused
    {
        get { lock (_lock) return _resumed is not null; }
    }

    /// <summary>The requests inside the project right now.</summary>
    public int Inside
    {
        get { lock (_lock) return _inside; }
    }

    /// <summary>Enters; while paused waits up to <paramref name="wait"/>. False when still paused then (the caller answers 503).</summary>
    public async Task<bool> TryEnterAsync(TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            Task resumed;
            lock (_lock)
            {
                if (_resumed is null)
                {
                    _inside++;
                    return true;
                }
                resumed = _resumed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            try
            {
                await resumed.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    public void Leave()
    {
        lock (_lock)
        {
            _inside--;
            if (_inside == 0) _drained?.TrySetResult();
        }
    }

    /// <summary>
    /// Pauses the project and waits (up to <paramref name="drainTimeout"/>) for the requests inside to finish. The result
    /// resumes it when disposed. Throws when the project is already paused.
    /// </summary>
    public async Task<IDisposable> PauseAsync(TimeSpan drainTimeout, CancellationToken ct)
    {
        Task drained;
        lock (_lock)
        {
            if (_resumed is not null) throw new InvalidOperationException("The project is already paused.");
            _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inside == 0) _drained.TrySetResult();
            drained = _drained.Task;
        }
        var resume = new Resumer(this);
        try
        {
            // Requests still running after the deadline go on: the restore is one transaction, they see the old or the new content.
            await drained.WaitAsync(drainTimeout, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            ct.ThrowIfCancellationRequested();
            return resume;
        }
        catch
        {
            resume.Dispose();
            throw;
        }
    }

    private void Resume()
    {
        TaskCompletionSource? resumed;
        lock (_lock)
        {
            resumed = _resumed;
            _resumed = null;
            _drained = null;
        }
        resumed?.TrySetResult();
    }

    private sealed class Resumer(ProjectGate gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Resume();
        }
    }
}
