namespace PaperGao.Core.Push;

/// <summary>
/// A registered device of an auth record (a user or superuser): for the "web" platform, a Web Push subscription
/// (its endpoint URL and the browser's keys). <see cref="Topics"/> are the topics it receives sends to.
/// </summary>
public sealed record PushDevice(
    string Id,
    string CollectionId,
    string UserId,
    string Platform,
    string Endpoint,
    string P256dh,
    string Auth,
    IReadOnlyList<string> Topics,
    string Created,
    string Updated)
{
    /// <summary>The only platform of this version; "fcm" and "apns" are follow-ups (docs/push.md).</summary>
    public const string Web = "web";

    /// <summary>Never prints the subscription's keys.</summary>
    public override string ToString() => $"PushDevice {{ Id = {Id}, UserId = {UserId}, Platform = {Platform} }}";
}
