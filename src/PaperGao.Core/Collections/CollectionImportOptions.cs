namespace PaperGao.Core.Collections;

/// <summary>
/// How <see cref="CollectionService.ImportInTransactionAsync"/> treats the definitions it is given. The collections
/// import API uses <see cref="Default"/>; moving a project in from elsewhere (PocketBase) keeps what the source had.
/// </summary>
public sealed record CollectionImportOptions
{
    public static CollectionImportOptions Default { get; } = new();

    /// <summary>Token secrets in the JSON are applied (so tokens signed by the source still verify), and a changed authRule does not rotate them.</summary>
    public bool KeepSecrets { get; init; }

    /// <summary>The system flag (of new collections) and the created/updated times come from the JSON instead of now.</summary>
    public bool KeepMetadata { get; init; }
}
