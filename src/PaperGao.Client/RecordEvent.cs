using System.Text.Json.Serialization;

namespace PaperGao.Client;

/// <summary>A realtime record change: action is "create", "update" or "delete".</summary>
public sealed record RecordEvent<T>
{
    [JsonPropertyName("action")] public string Action { get; init; } = "";
    [JsonPropertyName("record")] public T Record { get; init; } = default!;
}
