namespace PaperGao.Core.Push;

/// <summary>What a push service answered to one delivery attempt.</summary>
public enum PushOutcomeKind
{
    /// <summary>2xx: the service took the message.</summary>
    Accepted,

    /// <summary>404 or 410: the subscription no longer exists; the device is removed.</summary>
    Gone,

    /// <summary>429, 5xx or a network failure: worth another attempt after <see cref="PushOutcome.RetryAfter"/>.</summary>
    Retry,

    /// <summary>Any other answer (400, 401, 403, 413, ...) or a refused address: not retried.</summary>
    Rejected,
}

public readonly record struct PushOutcome(PushOutcomeKind Kind, int Status, TimeSpan? RetryAfter = null);
