namespace PaperGao.Core.Realtime;

/// <summary>The realtime limits in one place (protocol.md §6.1, §6.2).</summary>
public static class RealtimeLimits
{
    public const int ClientIdLength = 40;
    public const int MaxClientIdLength = 255;

    /// <summary>A client id starts with its node's tag (<see cref="RealtimeBroker.NodeTag"/>).</summary>
    public const int NodeTagLength = 8;
    public const int MaxSubscriptions = 1000;
    public const int MaxSubscriptionLength = 2500;

    /// <summary>
    /// Unknown client ids one IP may submit per minute (POST /api/realtime, /api/oauth2-redirect) before answers turn to
    /// 429 (guessing ids is pointless, but bounded). Counted before a request for another node's client is forwarded,
    /// and given back when that node knows the client: guesses cannot make a node forward more than this.
    /// </summary>
    public const int MaxUnknownClientIdsPerMinute = 30;

    /// <summary>Messages waiting for one client before it is considered stalled and disconnected.</summary>
    public const int DefaultQueueCapacity = 512;

    /// <summary>How long a node waits for the node holding a client to answer a forwarded request (then: 404).</summary>
    public static readonly TimeSpan ForwardTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Each node announces itself on the bus this often; a node not heard for <see cref="PeerLifetime"/> is gone.</summary>
    public static readonly TimeSpan PeerHeartbeat = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan PeerLifetime = TimeSpan.FromSeconds(35);

    /// <summary>Longest a starting node's realtime connections wait for the other nodes' acknowledgement (<see cref="RealtimeRelay.Joined"/>).</summary>
    public static readonly TimeSpan JoinLimit = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultMaxLifetime = TimeSpan.FromMinutes(30);
}
