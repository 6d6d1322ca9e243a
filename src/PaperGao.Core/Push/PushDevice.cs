namespace PaperGao.Core.Push;

/// <summary>
/// A registered device of an auth record (a user or superuser): for the "web" platform, a Web Push subscription
/// (its endpoint URL and the browser's keys); for "fcm" and "apns", <see cref="Endpoint"/> holds the device token
/// (the keys are empty). <see cref="Topics"/> are the topics it receives sends to.
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
    public const string Web = "web";

    /// <summary>Firebase Cloud Messaging (HTTP v1 API): Android, and iOS/web apps using the Firebase SDK.</summary>
    public const string Fcm = "fcm";

    /// <summary>Apple Push Notification service (HTTP/2, token-based provider authentication).</summary>
    public const string Apns = "apns";

    public static readonly IReadOnlyList<string> Platforms = [Web, Fcm, Apns];

    /// <summary>The device token of an FCM or APNs device (stored where a Web Push subscription keeps its endpoint).</summary>
    public string Token => Endpoint;

    /// <summary>Never prints the subscription's keys.</summary>
    public override string ToString() => $"PushDevice {{ Id = {Id}, UserId = {UserId}, Platform = {Platform} }}";
}
