using System.Threading.Channels;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Logs;

/// <summary>A finished request waiting for the background writer, with the project it belongs to.</summary>
public readonly record struct QueuedLog(Project Project, RequestLogEntry Entry);

/// <summary>
/// The bounded hand-off between the request path and the log writer. Enqueueing never waits: when the queue is full
/// the entry is dropped and counted (<see cref="Dropped"/>), so a slow log database can never slow a request down.
/// </summary>
public sealed class RequestLogQueue(int capacity)
{
    private readonly Channel<QueuedLog> _channel = Channel.CreateBounded<QueuedLog>(new BoundedChannelOptions(Math.Max(1, capacity))
    {
        FullMode = BoundedChannelFullMode.Wait, // with Wait, TryWrite answers false when full instead of dropping silently
        SingleReader = true,
        SingleWriter = false,
    });

    private long _dropped;

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Entries refused because the queue was full (or closed) since the server started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries waiting for the writer.</summary>
    public int Pending => _channel.Reader.Count;

    public ChannelReader<QueuedLog> Reader => _channel.Reader;

    public bool TryEnqueue(Project project, RequestLogEntry entry)
    {
        if (_channel.Writer.TryWrite(new QueuedLog(project, entry))) return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>No more entries: the writer drains what is left and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
