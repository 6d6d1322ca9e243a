namespace PaperGao.Core.Push;

/// <summary>The documented limits of push (docs/push.md#limits).</summary>
public static class PushLimits
{
    /// <summary>Devices one auth record may register; the oldest is replaced beyond that.</summary>
    public const int DevicesPerUser = 20;

    public const int MaxEndpointLength = 2048;
    public const int MaxTopics = 20;
    public const int MaxTopicLength = 64;

    /// <summary>User ids one send may name.</summary>
    public const int MaxUserIds = 1000;

    /// <summary>The default cap of devices one send reaches (settings push.maxRecipients; a larger send is refused).</summary>
    public const int DefaultMaxRecipients = 100_000;
    public const int MaxMaxRecipients = 1_000_000;

    /// <summary>Sends waiting per project; a send beyond that is refused with 429 (the queue never grows without bound).</summary>
    public const int QueueCapacity = 100;

    /// <summary>Deliveries in flight at once per project.</summary>
    public const int Concurrency = 8;

    /// <summary>Devices read from the database at a time while a send runs (memory stays bounded whatever the audience).</summary>
    public const int PageSize = 500;

    /// <summary>Attempts per device for 429, 5xx and network errors.</summary>
    public const int MaxAttempts = 4;

    /// <summary>The longest wait before a retry, whatever Retry-After asks.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    public const int MaxTtlSeconds = 28 * 24 * 3600;
    public const int DefaultTtlSeconds = 24 * 3600;

    /// <summary>The Topic header (collapse key): at most 32 characters of the base64url alphabet (RFC 8030 §5.4).</summary>
    public const int MaxCollapseKeyLength = 32;
}
