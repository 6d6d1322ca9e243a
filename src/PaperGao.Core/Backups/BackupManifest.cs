using System.Text.Json.Serialization;

namespace PaperGao.Core.Backups;

/// <summary>papergao-backup.json: what the zip holds and where it came from.</summary>
public sealed record BackupManifest
{
    [JsonPropertyName("format")] public string Format { get; init; } = BackupFormat.FormatName;
    [JsonPropertyName("version")] public int Version { get; init; } = BackupFormat.Version;
    [JsonPropertyName("project")] public string Project { get; init; } = "";
    [JsonPropertyName("database")] public string Database { get; init; } = "";
    [JsonPropertyName("created")] public string Created { get; init; } = "";
    [JsonPropertyName("collections")] public int Collections { get; init; }
    [JsonPropertyName("records")] public long Records { get; init; }
    [JsonPropertyName("files")] public long Files { get; init; }
    [JsonPropertyName("fileBytes")] public long FileBytes { get; init; }
}
