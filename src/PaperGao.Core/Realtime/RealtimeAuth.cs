using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>The auth a realtime client is bound to: a record (null for a guest) and whether it is a superuser.</summary>
public sealed record RealtimeAuth(Record? Record, bool IsSuperuser)
{
    public static RealtimeAuth Guest { get; } = new(null, false);

    public bool IsGuest => Record is null && !IsSuperuser;

    /// <summary>"collectionId/recordId" of the auth record, "" for a guest.</summary>
    public string Key => Record is null ? (IsSuperuser ? "*" : "") : Record.Collection.Id + "/" + Record.Id;

    /// <summary>The bound token's expiry (unix seconds; 0 when unknown): past it the client is a guest again.</summary>
    public long ExpiresAt { get; init; }

    /// <summary>
    /// The collection's token secret when the token was bound: rotating it (authRule change, tokens invalidated for
    /// the whole collection) ends the binding, as it ends the token.
    /// </summary>
    public string Secret { get; init; } = Record?.Collection.Auth?.AuthToken.Secret ?? "";
}
