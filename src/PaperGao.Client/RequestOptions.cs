namespace PaperGao.Client;

/// <summary>Options every request accepts: extra query parameters and headers (e.g. a different Authorization).</summary>
public record RequestOptions
{
    /// <summary>Extra query parameters (null values are left out).</summary>
    public IReadOnlyDictionary<string, string?>? Query { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>Options for reading records: expand relations ("author,tags.owner") and pick fields ("id,title,expand.author.name").</summary>
public record RecordOptions : RequestOptions
{
    public string? Expand { get; init; }
    public string? Fields { get; init; }
}

/// <summary>Options for lists: filter (build it with <see cref="PaperGaoClient.Filter"/>), sort ("-created,title") and skipTotal.</summary>
public sealed record ListOptions : RecordOptions
{
    public string? Filter { get; init; }
    public string? Sort { get; init; }

    /// <summary>Don't count the total (faster): totalItems and totalPages are -1.</summary>
    public bool SkipTotal { get; init; }
}
