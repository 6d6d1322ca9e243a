using System.Data.Common;

namespace PaperGao.Core.Records;

/// <summary>
/// A write transaction shared by one or more record operations (a single request, or every request of a batch),
/// with the work to run once it has committed (after-hooks, realtime events, file cleanup).
/// </summary>
public sealed class WriteScope(DbTransaction transaction)
{
    private readonly List<Func<Task>> _afterCommit = [];

    public DbTransaction Transaction { get; } = transaction;
    public DbConnection Connection => Transaction.Connection!;

    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    /// <summary>Runs the after-commit work in order; a failing callback does not stop the others.</summary>
    public async Task RunAfterCommitAsync(Action<Exception>? onError = null)
    {
        foreach (var a in _afterCommit)
        {
            try { await a(); }
            catch (Exception ex) { onError?.Invoke(ex); }
        }
    }
}
