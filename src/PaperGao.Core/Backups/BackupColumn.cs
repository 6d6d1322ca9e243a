using PaperGao.Core.Data;

namespace PaperGao.Core.Backups;

/// <summary>A column copied by a backup: its name and storage kind (which decides its JSON form in the zip).</summary>
public sealed record BackupColumn(string Name, ColumnKind Kind);
