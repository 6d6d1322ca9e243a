using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Core.Push;

/// <summary>
/// What one send delivers. The service worker receives <see cref="Payload"/>: {"title","body","data"} as JSON.
/// <see cref="Ttl"/> (seconds the push service keeps it for an offline device), <see cref="Urgency"/> (very-low, low,
/// normal, high) and <see cref="CollapseKey"/> (the Topic header: a newer message replaces an undelivered one with the
/// same key) are RFC 8030's headers.
/// </summary>
public sealed record PushMessage(string Title, string Body, JsonObject? Data, int Ttl, string Urgency, string CollapseKey)
{
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
            w.WriteEndObject();
        }
        return ms.ToArray();
    }
}
