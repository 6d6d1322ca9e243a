using System.Threading.Channels;
using PaperGao.Core.Common;

namespace PaperGao.Core.Realtime;

/// <summary>
/// One connected realtime client, whatever its transport: its id, project, caller IP, bound auth, subscriptions
/// and a bounded queue of messages. A client whose queue is full is dropped (<see cref="Closed"/> fires) rather
/// than slowing the others or growing memory.
/// </summary>
public sealed class RealtimeClient
{
    private readonly Channel<RealtimeMessage> _queue;
    private readonly CancellationTokenSource _closed = new();
    private RealtimeAuth _auth = RealtimeAuth.Guest;
    private Subscription[] _subscriptions = [];
    private int _dropped;

    internal RealtimeClient(string nodeTag, string project, string ip, int capacity)
    {
        // The node's tag first: another node of a cluster knows where to forward a request naming this client.
        Id = nodeTag + RandomString.Alphanumeric(RealtimeLimits.ClientIdLength - nodeTag.Length);
        Project = project;
        Ip = ip;
        _queue = Channel.CreateBounded<RealtimeMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public string Id { get; }
    public string Project { get; }
    public string Ip { get; }
    public RealtimeAuth Auth => Volatile.Read(ref _auth);
    public IReadOnlyList<Subscription> Subscriptions => Volatile.Read(ref _subscriptions);
    public ChannelReader<RealtimeMessage> Messages => _queue.Reader;

    /// <summary>Cancelled when the client is dropped (queue full) or disconnected.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>True when the client fell behind and was disconnected.</summary>
    public bool WasDropped => Volatile.Read(ref _dropped) == 1;

    internal void SetAuth(RealtimeAuth auth) => Volatile.Write(ref _auth, auth);

    internal void SetSubscriptions(Subscription[] subscriptions) => Volatile.Write(ref _subscriptions, subscriptions);

    /// <summary>Removes one subscription; true for the one caller that removed it (two concurrent removals: one wins).</summary>
    internal bool TryRemoveSubscription(string raw)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            if (!current.Any(s => s.Raw == raw)) return false;
            Subscription[] next = [.. current.Where(s => s.Raw != raw)];
            if (Interlocked.CompareExchange(ref _subscriptions, next, current) == current) return true;
        }
    }

    /// <summary>Queues a message without waiting; a full queue drops the client.</summary>
    public bool TrySend(RealtimeMessage message)
    {
        if (_queue.Writer.TryWrite(message)) return true;
        if (Interlocked.Exchange(ref _dropped, 1) == 0) Close();
        return false;
    }

    /// <summary>Ends the client: its transport sees <see cref="Closed"/> and the end of <see cref="Messages"/>.</summary>
    internal void Close()
    {
        _queue.Writer.TryComplete();
        try { _closed.Cancel(); } catch (ObjectDisposedException) { }
    }
}
