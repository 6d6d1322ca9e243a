using System.Threading.Channels;

namespace PaperGao.Core.Push;

/// <summary>
/// A project's bounded queue of sends and the one worker that runs them in order. <see cref="TryEnqueue"/> never
/// waits: a full queue refuses the send (the API answers 429), so neither memory nor request latency grows with the
/// load. An exception in a delivery is reported and never stops the worker. Disposing stops the worker; sends still
/// waiting are handed to <paramref name="abandon"/> (their log says so).
/// </summary>
public sealed class PushQueue : IAsyncDisposable
{
    private readonly Channel<PushJob> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<PushJob, CancellationToken, Task> _deliver;
    private readonly Func<PushJob, Task> _abandon;
    private readonly Action<PushJob, Exception> _onError;
    private readonly Task _worker;

    public PushQueue(int capacity, Func<PushJob, CancellationToken, Task> deliver, Func<PushJob, Task> abandon, Action<PushJob, Exception> onError)
    {
        _channel = Channel.CreateBounded<PushJob>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _deliver = deliver;
        _abandon = abandon;
        _onError = onError;
        _worker = Task.Run(RunAsync);
    }

    /// <summary>Sends waiting (not counting the one running).</summary>
    public int Waiting => _channel.Reader.Count;

    public bool TryEnqueue(PushJob job) => !_stop.IsCancellationRequested && _channel.Writer.TryWrite(job);

    private async Task RunAsync()
    {
        try
        {
            await foreach (var job in _channel.Reader.ReadAllAsync(_stop.Token))
            {
                try { await _deliver(job, _stop.Token); }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { await Abandon(job); }
                catch (Exception e) { _onError(job, e); }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task Abandon(PushJob job)
    {
        try { await _abandon(job); }
        catch (Exception e) { _onError(job, e); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _channel.Writer.TryComplete();
        await _stop.CancelAsync();
        await _worker;
        while (_channel.Reader.TryRead(out var job)) await Abandon(job);
        _stop.Dispose();
    }
}
