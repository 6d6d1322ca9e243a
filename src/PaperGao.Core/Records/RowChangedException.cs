namespace PaperGao.Core.Records;

/// <summary>
/// An update read its record without a lock and, by the time it wrote, another transaction had written (or deleted) the
/// row: nothing was written, and the update runs again the locking way (<see cref="RecordWriter"/>). Never an answer.
/// </summary>
public sealed class RowChangedException(Exception inner)
    : Exception("The record was written by another transaction since it was read.", inner);
