using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Files;

namespace PaperGao.Core.Backups;

/// <summary>The entries of a PaperGao backup zip (docs/backups.md). Entry names are made here, never taken from a zip as paths.</summary>
public static class BackupFormat
{
    public const string FormatName = "papergao-backup";
    public const int Version = 1;

    /// <summary>Written last: a zip without it is not a complete PaperGao backup.</summary>
    public const string ManifestEntry = "papergao-backup.json";
    public const string CollectionsEntry = "collections.json";
    public const string SettingsEntry = "settings.json";
    public const string ApiKeysEntry = "apikeys.jsonl";
    public const string RecordsFolder = "records/";
    public const string StorageFolder = "storage/";

    public static string RecordsEntry(string collectionId) => RecordsFolder + collectionId + ".jsonl";

    public static IReadOnlyList<BackupColumn> ApiKeyColumns { get; } =
        [.. new[] { "id", "name", "hash", "scopes", "expires", "lastUsed", "created", "updated" }.Select(n => new BackupColumn(n, ColumnKind.Text))];

    public const string ApiKeysTable = SystemSchema.ApiKeysTable;

    public static IReadOnlyList<BackupColumn> ColumnsOf(Collection c) => [.. c.Fields.Select(f => new BackupColumn(f.Name, f.Kind))];

    /// <summary>True for every entry name a PaperGao backup may hold; anything else ("../x", absolute paths, unknown files) makes the zip invalid.</summary>
    public static bool IsKnownEntry(string name)
    {
        if (name is ManifestEntry or CollectionsEntry or SettingsEntry or ApiKeysEntry) return true;
        if (name.StartsWith(RecordsFolder, StringComparison.Ordinal) && name.EndsWith(".jsonl", StringComparison.Ordinal))
            return FileKeys.IsValidSegment(name[RecordsFolder.Length..^".jsonl".Length]);
        return name.StartsWith(StorageFolder, StringComparison.Ordinal) && FileKeys.IsValid(name[StorageFolder.Length..]);
    }
}
