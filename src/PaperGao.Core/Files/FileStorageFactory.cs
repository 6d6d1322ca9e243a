using PaperGao.Core.Settings;

namespace PaperGao.Core.Files;

/// <summary>Chooses a project's storage from its settings: the "s3" section when enabled, otherwise its local folder.</summary>
public static class FileStorageFactory
{
    public static IFileStorage Create(ProjectSettings settings, string localRoot)
    {
        var s3 = S3Settings.From(settings.Extra["s3"]);
        return s3.Enabled ? new S3FileStorage(s3) : new LocalFileStorage(localRoot);
    }

    /// <summary>What the choice depends on; the project makes a new storage only when this changes.</summary>
    public static string Fingerprint(ProjectSettings settings) =>
        S3Settings.From(settings.Extra["s3"]) is { Enabled: true } s3 ? "s3:" + s3.GetHashCode() : "local";
}
