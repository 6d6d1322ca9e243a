namespace PaperGao.Core.Records;

/// <summary>The parameters of a records list (protocol.md §2.2), already parsed and clamped.</summary>
public sealed record ListQuery(int Page, int PerPage, string Sort, string Filter, bool SkipTotal, string Expand)
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1000;

    /// <summary>The page part, for <see cref="Data.PagedList"/>.</summary>
    public Data.PageWindow Window => new(Page, PerPage, SkipTotal);
}
