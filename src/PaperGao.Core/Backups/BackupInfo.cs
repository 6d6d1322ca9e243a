namespace PaperGao.Core.Backups;

/// <summary>One stored backup as the API lists it (PocketBase's backupFileInfo).</summary>
public sealed record BackupInfo(string Key, long Size, DateTimeOffset Modified);
