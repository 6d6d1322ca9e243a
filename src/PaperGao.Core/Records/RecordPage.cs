namespace PaperGao.Core.Records;

/// <summary>One page of a records list; TotalItems and TotalPages are -1 when the count was skipped.</summary>
public sealed record RecordPage(int Page, int PerPage, long TotalItems, long TotalPages, IReadOnlyList<Record> Items);
