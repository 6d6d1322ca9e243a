namespace PaperGao.Core.Import.PocketBase;

/// <summary>An import that cannot run or cannot finish; the message says why in words a user can act on. Nothing was written.</summary>
public sealed class PocketBaseImportException(string message, Exception? inner = null) : Exception(message, inner);
