using System.Text.Json.Serialization;

namespace PaperGao.Client;

/// <summary>One page of a list: totals are -1 when skipTotal was asked for.</summary>
public sealed record ListResult<T>
{
    [JsonPropertyName("page")] public int Page { get; init; }
    [JsonPropertyName("perPage")] public int PerPage { get; init; }
    [JsonPropertyName("totalItems")] public long TotalItems { get; init; }
    [JsonPropertyName("totalPages")] public long TotalPages { get; init; }
    [JsonPropertyName("items")] public IReadOnlyList<T> Items { get; init; } = [];
}
