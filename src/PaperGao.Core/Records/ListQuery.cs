namespace PaperGao.Core.Records;

/// <summary>
/// The parameters of a records list (protocol.md §2.2), already parsed and clamped. EstimateTotal (PaperGao's own,
/// <c>estimateTotal=1</c>): the total is exact up to <see cref="Data.TotalEstimate.ExactUpTo"/> and estimated above.
/// </summary>
public sealed record ListQuery(int Page, int PerPage, string Sort, string Filter, bool SkipTotal, string Expand, bool EstimateTotal = false)
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1000;

    /// <summary>The page part, for <see cref="Data.PagedList"/>.</summary>
    public Data.PageWindow Window => new(Page, PerPage, SkipTotal, EstimateTotal);
}
