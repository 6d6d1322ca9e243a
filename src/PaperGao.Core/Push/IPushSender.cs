namespace PaperGao.Core.Push;

/// <summary>Delivers one message to one device of its platform (Web Push, FCM or APNs) and classifies the answer.</summary>
public interface IPushSender
{
    Task<PushOutcome> SendAsync(PushDevice device, PushMessage message, CancellationToken ct);

    /// <summary>The last failure that concerns the whole platform (e.g. the OAuth2 token exchange), for the send's log; null if none.</summary>
    string? Problem { get; }
}
