using System.Data.Common;

namespace PaperGao.Core.Records;

/// <summary>
/// A write transaction shared by one or more record operations (a single request, or every request of a batch),
/// with the work to run once it has committed (after-hooks, realtime events, file cleanup), and the work that undoes
/// side effects outside the database (files written) when it rolls back.
/// </summary>
public sealed class WriteScope(DbTransaction transaction)
{
    private readonly List<Func<Task>> _afterCommit = [];
    private readonly List<Func<Task>> _onRollback = [];

    public DbTransaction Transaction { get; } = transaction;
    public DbConnection Connection => Transaction.Connection!;

    /// <summary>
    /// The transaction holds one record write and nothing else (a create or update's own, not a batch's or a function's):
    /// once its SQL has run, nothing else runs on it before the commit unless a hook or check of that write does.
    /// </summary>
    internal bool SingleWrite { get; init; }

    /// <summary>
    /// The write running now is the transaction's own single write (<see cref="SingleWrite"/>), not one made inside it
    /// (a hook's $app.save, which more statements follow): only then may its statement be held back for the COMMIT.
    /// </summary>
    internal bool OwnSingleWrite => SingleWrite && _nested == 0;

    private int _nested;

    /// <summary>Runs a write made inside this scope's transaction by code of another write of it (a hook's).</summary>
    internal async Task<T> InsideAsync<T>(Func<WriteScope, Task<T>> work)
    {
        _nested++;
        try
        {
            return await work(this);
        }
        finally
        {
            _nested--;
        }
    }

    /// <summary>Why the transaction did not commit (set before the rollback work runs; the After*Error hooks read it).</summary>
    public Exception? Failure { get; set; }

    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    /// <summary>Work to run if the transaction does not commit (registered before the side effect it undoes).</summary>
    public void OnRollback(Func<Task> action) => _onRollback.Add(action);

    /// <summary>Runs the after-commit work in order; a failing callback does not stop the others.</summary>
    public Task RunAfterCommitAsync(Action<Exception>? onError = null) => RunAllAsync(_afterCommit, onError);

    /// <summary>Runs the rollback work (the transaction failed); a failing callback does not stop the others.</summary>
    public Task RunRollbackAsync(Action<Exception>? onError = null) => RunAllAsync(_onRollback, onError);

    /// <summary>
    /// Runs <paramref name="work"/> in a savepoint (<see cref="Data.ProjectDatabase.InSavepointAsync{T}"/>): when it
    /// throws, its database work is undone and the after-commit work it registered is dropped, so the transaction can go
    /// on and commit without it. The rollback work it registered (its writes' …AfterError hooks, removing the files they
    /// stored) runs once the transaction has ended, committed or not, with <see cref="Failure"/> set to its error: not
    /// now, while the transaction still holds the database (SQLite's one writer) and an error hook's own write would wait
    /// for it.
    /// </summary>
    public async Task<T> NestedAsync<T>(Data.ProjectDatabase database, Func<Task<T>> work, Action<Exception>? onError, CancellationToken ct)
    {
        var (afterCommit, onRollback) = (_afterCommit.Count, _onRollback.Count);
        try
        {
            return await database.InSavepointAsync(Transaction, work, ct);
        }
        catch (Exception ex)
        {
            _afterCommit.RemoveRange(afterCommit, _afterCommit.Count - afterCommit);
            var undo = _onRollback.GetRange(onRollback, _onRollback.Count - onRollback);
            _onRollback.RemoveRange(onRollback, undo.Count);
            if (undo.Count > 0)
            {
                async Task UndoAsync()
                {
                    var outer = Failure;
                    Failure = ex;
                    await RunAllAsync(undo, onError);
                    Failure = outer;
                }
                _afterCommit.Add(UndoAsync);
                _onRollback.Add(UndoAsync);
            }
            throw;
        }
    }

    private static async Task RunAllAsync(List<Func<Task>> actions, Action<Exception>? onError)
    {
        foreach (var a in actions)
        {
            try { await a(); }
            catch (Exception ex) { onError?.Invoke(ex); }
        }
    }
}
