using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Push;

/// <summary>
/// What one send delivers. The service worker receives <see cref="Payload"/>: {"title","body","data"} as JSON.
/// <see cref="Ttl"/> (seconds the push service keeps it for an offline device), <see cref="Urgency"/> (very-low, low,
/// normal, high) and <see cref="CollapseKey"/> (the Topic header: a newer message replaces an undelivered one with the
/// same key) are RFC 8030's headers; FCM and APNs get the same meaning in their own fields. <see cref="Badge"/> and
/// <see cref="Sound"/> reach APNs (aps.badge, aps.sound) and FCM (the notification's count and sound on Android, the
/// aps fields on Apple devices); Web Push carries them in the payload only when set.
/// </summary>
public sealed record PushMessage(string Title, string Body, JsonObject? Data, int Ttl, string Urgency, string CollapseKey, int? Badge = null, string Sound = "")
{
    /// <summary>FCM's and APNs' notion of priority: "high" urgency delivers at once, anything else may be batched to save power.</summary>
    public bool IsHighPriority => Urgency == "high";

    public static readonly IReadOnlyList<string> Urgencies = ["very-low", "low", "normal", "high"];

    public byte[] Payload()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("title", Title);
            w.WriteString("body", Body);
            w.WritePropertyName("data");
            if (Data is null) w.WriteStartObject(); else Data.WriteTo(w);
            if (Data is null) w.WriteEndObject();
            if (Badge is { } badge) w.WriteNumber("badge", badge);
            if (Sound.Length > 0) w.WriteString("sound", Sound);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }
}
