using System.Data.Common;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>
/// What travels with a write transaction's COMMIT, in one batch and one round trip (docs/scaling.md, "What a write
/// sends"): the write's last statement when nothing else runs on the transaction after it (else a trivial statement
/// that fails if the transaction was aborted), then COMMIT, then the pg_notify calls that tell the other nodes. The
/// notices run in their own transaction right after the commit (so the commits of writes do not serialise on
/// PostgreSQL's notify lock); a failed statement or COMMIT skips them, as it skips everything after it in the batch.
/// <see cref="Published"/> says whether they went out: when it stays false (the transaction was committed some other
/// way, or a notice failed after the commit) the caller publishes them itself.
/// </summary>
public sealed class PostgresCommitBatch
{
    private static readonly AsyncLocal<PostgresCommitBatch?> Current = new();
    private readonly NpgsqlTransaction _transaction;
    private readonly List<(string Channel, string Payload)> _notices = [];
    private readonly List<(string Sql, SqlParams Parameters, Func<DbException, Exception?> MapError)> _held = [];

    private PostgresCommitBatch(NpgsqlTransaction transaction) => _transaction = transaction;

    /// <summary>True once the commit and every notice of this transaction succeeded in one batch.</summary>
    public bool Published { get; private set; }

    /// <summary>
    /// Queues a notice for the commit of <paramref name="transaction"/>; null when that transaction is not one whose commit
    /// <see cref="PostgresProjectDatabase"/> sends itself (then nothing is queued).
    /// </summary>
    public static PostgresCommitBatch? AddNotice(DbTransaction transaction, string channel, string payload)
    {
        if (For(transaction) is not { } batch) return null;
        batch._notices.Add((channel, payload));
        return batch;
    }

    /// <summary>
    /// Holds back a statement of <paramref name="transaction"/> to send it in front of its COMMIT, after the ones held
    /// back before it. Only for the last statements: nothing reads or writes through the transaction after the first one
    /// held back (the caller knows); false when the transaction's commit is not this class's (run it now). A database
    /// error of the statement surfaces from the commit, as <paramref name="mapError"/>'s answer when it gives one.
    /// </summary>
    internal static bool DeferLast(DbTransaction transaction, string sql, SqlParams parameters, Func<DbException, Exception?> mapError)
    {
        if (For(transaction) is not { } batch) return false;
        batch._held.Add((sql, parameters, mapError));
        return true;
    }

    /// <summary>How much is queued for the commit of <paramref name="transaction"/> now (nothing when it is not this class's).</summary>
    internal static (int Notices, int Held) Mark(DbTransaction transaction) =>
        For(transaction) is { } batch ? (batch._notices.Count, batch._held.Count) : (0, 0);

    /// <summary>Drops what was queued for the commit since <paramref name="mark"/> (the savepoint it was queued in rolled back).</summary>
    internal static void UndoTo(DbTransaction transaction, (int Notices, int Held) mark)
    {
        if (For(transaction) is not { } batch) return;
        batch._notices.RemoveRange(mark.Notices, batch._notices.Count - mark.Notices);
        batch._held.RemoveRange(mark.Held, batch._held.Count - mark.Held);
    }

    private static PostgresCommitBatch? For(DbTransaction transaction) =>
        Current.Value is { } batch && ReferenceEquals(batch._transaction, transaction) ? batch : null;

    /// <summary>Opens the batch of a write transaction for the work that runs in it (and the async calls it makes).</summary>
    internal static PostgresCommitBatch Open(NpgsqlTransaction transaction) => Current.Value = new PostgresCommitBatch(transaction);

    /// <summary>
    /// Commits the transaction in one batch: the held-back statements, COMMIT, the notices. A transaction PostgreSQL has
    /// aborted (a statement failed and the error was caught inside the write) answers a COMMIT with ROLLBACK and no
    /// error, so the COMMIT never goes alone: when nothing is held back, a trivial statement goes in front of it, which
    /// fails there (25P02, as a held-back statement would) and stops the batch before the COMMIT and the notices; that
    /// comes out as <see cref="WriteRolledBackException"/>. Throws when a held-back statement or the COMMIT failed;
    /// notices that failed after the commit leave <see cref="Published"/> false.
    /// </summary>
    internal async Task CommitAsync(NpgsqlConnection conn, Action<string, SqlParams?> counted)
    {
        await using var batch = new NpgsqlBatch(conn, _transaction);
        if (_held.Count == 0) batch.BatchCommands.Add(new NpgsqlBatchCommand(AbortedCheck));
        foreach (var (sql, parameters, _) in _held)
        {
            counted(sql, parameters);
            var held = new NpgsqlBatchCommand(sql);
            parameters.BindTo(held);
            batch.BatchCommands.Add(held);
        }
        var commit = new NpgsqlBatchCommand("COMMIT");
        batch.BatchCommands.Add(commit);
        var commitIndex = batch.BatchCommands.Count - 1;
        foreach (var (channel, payload) in _notices)
        {
            var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
            notify.Parameters.AddWithValue(channel);
            notify.Parameters.AddWithValue(payload);
            batch.BatchCommands.Add(notify);
        }
        try
        {
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            Published = true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InFailedSqlTransaction && BatchIndex(batch, ex) < commitIndex)
        {
            throw new WriteRolledBackException(ex);
        }
        catch (PostgresException ex) when (BatchIndex(batch, ex) is var i and >= 0 && i < _held.Count && _held[i].MapError(ex) is { } mapped)
        {
            throw mapped;
        }
        catch (PostgresException ex) when (BatchIndex(batch, ex) > commitIndex)
        {
            // Committed; a notice failed (the notify queue full, say): the after-commit path publishes them again.
        }
    }

    /// <summary>
    /// The statement in front of a COMMIT that has nothing held back: it fails (25P02) in an aborted transaction, where
    /// the COMMIT alone would answer ROLLBACK without an error. It costs no round trip (it travels in the batch).
    /// </summary>
    private const string AbortedCheck = "SELECT";

    /// <summary>The failed statement's place in the batch (the check or the held-back ones, then COMMIT, then the notices), or -1.</summary>
    private static int BatchIndex(NpgsqlBatch batch, PostgresException ex) =>
        ex.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
}
