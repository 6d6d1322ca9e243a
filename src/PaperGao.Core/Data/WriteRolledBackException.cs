namespace PaperGao.Core.Data;

/// <summary>
/// A write's transaction was aborted by PostgreSQL: one of its statements failed and the code inside the write (a hook
/// bound in .NET, say) caught the error and went on. PostgreSQL then refuses every further statement (25P02) and answers
/// the COMMIT with a rollback, so nothing of the write was saved; the write fails with this instead of being reported
/// as saved (<see cref="Postgres.PostgresCommitBatch"/>). SQLite undoes a failed statement alone and keeps the
/// transaction, so it never throws this. The API answers it with 400 in the error envelope; the message is safe to show.
/// </summary>
public sealed class WriteRolledBackException(Exception inner)
    : Exception("A statement of this write failed and its error was caught without being passed on; PostgreSQL rolled the whole write back, nothing was saved.", inner);
