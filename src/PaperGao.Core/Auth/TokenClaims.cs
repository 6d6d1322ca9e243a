namespace PaperGao.Core.Auth;

/// <summary>The claims PaperGao reads from a token before verifying it (protocol.md §5.2).</summary>
public sealed record TokenClaims(string Type, string Id, string CollectionId, long Exp, bool Refreshable, string Email = "", string NewEmail = "");
