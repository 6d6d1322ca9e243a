using System.Globalization;
using System.Text;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>What an import copied (per collection: records and files) and what it left out, with the reason.</summary>
public sealed class ImportReport
{
    private readonly List<CollectionLine> _collections = [];
    private readonly List<string> _skipped = [];
    private readonly List<string> _warnings = [];

    public string Source { get; init; } = "";
    public string Project { get; init; } = "";
    public bool DryRun { get; init; }
    public string? PocketBaseVersion { get; set; }

    public IReadOnlyList<CollectionLine> Collections => _collections;

    /// <summary>Things not imported at all (folders, tables, settings sections), each with the reason.</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>Things imported with a problem (a record whose file is missing from storage/).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public CollectionLine Add(string name, string type)
    {
        var line = new CollectionLine(name, type);
        _collections.Add(line);
        return line;
    }

    public CollectionLine? Find(string name) => _collections.Find(c => c.Name == name);

    public void Skip(string what, string reason) => _skipped.Add($"{what}: {reason}");

    public void Warn(string message) => _warnings.Add(message);

    public long TotalRecords => _collections.Sum(c => c.Records);
    public long TotalFiles => _collections.Sum(c => c.Files);

    /// <summary>Request log entries copied from auxiliary.db (with --logs).</summary>
    public long Logs { get; set; }

    public override string ToString()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{(DryRun ? "Dry run (nothing written): " : "")}PocketBase {Source} -> project '{Project}'").AppendLine();
        if (PocketBaseVersion is not null) sb.Append(inv, $"PocketBase data from the {PocketBaseVersion} line").AppendLine();
        var width = Math.Max(10, _collections.Count == 0 ? 0 : _collections.Max(c => c.Name.Length));
        sb.Append("collection".PadRight(width)).Append("  type   records    files").AppendLine();
        foreach (var c in _collections)
            sb.Append(c.Name.PadRight(width)).Append("  ").Append(c.Type.PadRight(5)).Append(inv, $"{c.Records,9} {c.Files,8}").AppendLine();
        sb.Append(inv, $"total: {_collections.Count} collections, {TotalRecords} records, {TotalFiles} files").AppendLine();
        if (Logs > 0) sb.Append(inv, $"request logs: {Logs}").AppendLine();
        if (_skipped.Count > 0)
        {
            sb.AppendLine("skipped:");
            foreach (var s in _skipped) sb.Append("  - ").AppendLine(s);
        }
        if (_warnings.Count > 0)
        {
            sb.AppendLine("warnings:");
            foreach (var w in _warnings) sb.Append("  - ").AppendLine(w);
        }
        return sb.ToString();
    }

    /// <summary>One collection of the report.</summary>
    public sealed class CollectionLine(string name, string type)
    {
        public string Name { get; } = name;
        public string Type { get; } = type;
        public long Records { get; set; }
        public long Files { get; set; }
    }
}
