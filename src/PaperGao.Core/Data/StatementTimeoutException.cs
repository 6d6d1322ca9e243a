namespace PaperGao.Core.Data;

/// <summary>
/// A statement ran past the project database's time limit (<see cref="ProjectDatabase.StatementTimeout"/>) and was
/// stopped by the database: SQLite through its progress handler, PostgreSQL through statement_timeout. The API answers
/// it with 400 in the error envelope; the message is safe to show.
/// </summary>
public sealed class StatementTimeoutException(TimeSpan limit, Exception inner)
    : Exception(FormattableString.Invariant($"The query took longer than the {limit.TotalSeconds:0.###} s time limit and was stopped."), inner)
{
    public TimeSpan Limit { get; } = limit;
}
