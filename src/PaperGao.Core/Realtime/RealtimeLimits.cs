namespace PaperGao.Core.Realtime;

/// <summary>The realtime limits in one place (protocol.md §6.1, §6.2).</summary>
public static class RealtimeLimits
{
    public const int ClientIdLength = 40;
    public const int MaxClientIdLength = 255;
    public const int MaxSubscriptions = 1000;
    public const int MaxSubscriptionLength = 2500;

    /// <summary>Unknown client ids one IP may submit per minute before answers turn to 429 (guessing ids is pointless, but bounded).</summary>
    public const int MaxUnknownClientIdsPerMinute = 30;

    /// <summary>Messages waiting for one client before it is considered stalled and disconnected.</summary>
    public const int DefaultQueueCapacity = 512;

    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultMaxLifetime = TimeSpan.FromMinutes(30);
}
