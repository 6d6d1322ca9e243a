namespace PaperGao.Client;

/// <summary>Narrows what a realtime subscription receives and how records look: filter, expand, fields, extra query/headers.</summary>
public sealed record SubscribeOptions : RecordOptions
{
    /// <summary>Only records matching this filter (on top of the collection's view rule).</summary>
    public string? Filter { get; init; }
}
