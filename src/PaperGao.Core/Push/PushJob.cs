namespace PaperGao.Core.Push;

/// <summary>One accepted send waiting in its project's queue (its log row is already written, status "queued").</summary>
public sealed record PushJob(string SendId, PushTarget Target, PushMessage Message, long Recipients, string Created)
{
    /// <summary>How far the send got: stored in its "_pushJobs" row after every finished page, so a resumed send continues there.</summary>
    public PushProgress Progress { get; init; } = PushProgress.Start;
}

/// <summary>
/// The cursor of a running send: every device with an id up to <see cref="After"/> (keyset order) was delivered
/// (<see cref="Read"/> of them), with these outcome counts. Devices after it may have been reached too before a stop;
/// a resumed send reaches them again (at least once).
/// </summary>
public sealed record PushProgress(string After, long Read, long Accepted, long Rejected, long Invalid, long Retried)
{
    public static readonly PushProgress Start = new("", 0, 0, 0, 0, 0);
}
