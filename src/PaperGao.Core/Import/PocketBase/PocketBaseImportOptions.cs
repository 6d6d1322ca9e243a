namespace PaperGao.Core.Import.PocketBase;

/// <summary>What <c>papergao import pocketbase</c> was asked to do.</summary>
public sealed record PocketBaseImportOptions
{
    /// <summary>The PocketBase pb_data folder (read only; never modified).</summary>
    public required string PbDataDir { get; init; }

    /// <summary>Report only: read the source and the target, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Replace the content of a target project that already has data.</summary>
    public bool Force { get; init; }

    /// <summary>Also look at auxiliary.db (request logs).</summary>
    public bool Logs { get; init; }

    /// <summary>Rows per INSERT statement (capped so a statement stays under the drivers' parameter limits).</summary>
    public int BatchSize { get; init; } = 200;
}
