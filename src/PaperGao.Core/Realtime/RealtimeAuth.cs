using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>The auth a realtime client is bound to: a record (null for a guest) and whether it is a superuser.</summary>
public sealed record RealtimeAuth(Record? Record, bool IsSuperuser)
{
    public static RealtimeAuth Guest { get; } = new(null, false);

    public bool IsGuest => Record is null && !IsSuperuser;

    /// <summary>"collectionId/recordId" of the auth record, "" for a guest.</summary>
    public string Key => Record is null ? (IsSuperuser ? "*" : "") : Record.Collection.Id + "/" + Record.Id;
}
