namespace PaperGao.Core.Data.Schema;

/// <summary>A column of a collection table as the DDL sees it: its name, storage kind and whether it is the "id" primary key.</summary>
public sealed record ColumnSpec(string Name, ColumnKind Kind, bool PrimaryKey = false);
