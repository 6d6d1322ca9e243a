namespace PaperGao.Core.Realtime;

/// <summary>Connection lifetime and queue size of realtime clients (the defaults are PocketBase's).</summary>
public sealed record RealtimeOptions
{
    /// <summary>A stream is ended after this long without a delivered message.</summary>
    public TimeSpan IdleTimeout { get; init; } = RealtimeLimits.DefaultIdleTimeout;

    /// <summary>A stream is ended after this long, whatever happens.</summary>
    public TimeSpan MaxLifetime { get; init; } = RealtimeLimits.DefaultMaxLifetime;

    /// <summary>Messages queued for one client; a client that falls further behind is disconnected.</summary>
    public int QueueCapacity { get; init; } = RealtimeLimits.DefaultQueueCapacity;
}
