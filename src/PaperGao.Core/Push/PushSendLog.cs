namespace PaperGao.Core.Push;

/// <summary>
/// The delivery log of one send: how many devices it targeted, and per outcome how many the push services accepted
/// (2xx), rejected (other 4xx, or 429/5xx after the last attempt, or a refused address), called invalid (404/410:
/// the device was removed); <see cref="Retried"/> counts the retries made. Status: queued, sending, done, failed.
/// </summary>
public sealed record PushSendLog(
    string Id,
    string Status,
    string Target,
    long Recipients,
    long Accepted,
    long Rejected,
    long Invalid,
    long Retried,
    string Error,
    string Created,
    string Updated)
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Done = "done";
    public const string Failed = "failed";
}
