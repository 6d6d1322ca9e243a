using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>
/// A committed record change to broadcast: the action ("create", "update", "delete"), the collection id and record id,
/// and the record when it is at hand (always for a delete: the row as it was; a change from another node carries
/// only the id for create/update and the stored values for a delete).
/// </summary>
public sealed record RecordChange(string Action, string CollectionId, string RecordId, Record? Record)
{
    /// <summary>A delete from another node: the deleted row's stored values by field name.</summary>
    public IReadOnlyDictionary<string, object?>? DeletedRow { get; init; }

    public bool IsDelete => Action == "delete";
}
