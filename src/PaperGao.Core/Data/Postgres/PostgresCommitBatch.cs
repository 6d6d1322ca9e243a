using System.Data.Common;
using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>
/// What travels with a write transaction's COMMIT, in one batch and one round trip (docs/scaling.md, "What a write
/// sends"): the write's last statement when nothing else runs on the transaction after it, then COMMIT, then the
/// pg_notify calls that tell the other nodes. The notices run in their own transaction right after the commit (so the
/// commits of writes do not serialise on PostgreSQL's notify lock); a failed statement or COMMIT skips them, as it
/// skips everything after it in the batch. <see cref="Published"/> says whether they went out: when it stays false (the
/// transaction was committed some other way, or a notice failed after the commit) the caller publishes them itself.
/// </summary>
public sealed class PostgresCommitBatch
{
    private static readonly AsyncLocal<PostgresCommitBatch?> Current = new();
    private readonly NpgsqlTransaction _transaction;
    private readonly List<(string Channel, string Payload)> _notices = [];
    private (string Sql, SqlParams Parameters, Func<DbException, Exception?> MapError)? _last;

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
    /// Holds back the last statement of <paramref name="transaction"/> to send it in front of its COMMIT. Only for a
    /// statement after which nothing reads or writes through the transaction (the caller knows); false when the
    /// transaction's commit is not this class's (run it now). A database error of the statement surfaces from the commit,
    /// as <paramref name="mapError"/>'s answer when it gives one.
    /// </summary>
    internal static bool DeferLast(DbTransaction transaction, string sql, SqlParams parameters, Func<DbException, Exception?> mapError)
    {
        if (For(transaction) is not { } batch) return false;
        if (batch._last is not null) throw new InvalidOperationException("A write transaction holds back one last statement at most.");
        batch._last = (sql, parameters, mapError);
        return true;
    }

    private static PostgresCommitBatch? For(DbTransaction transaction) =>
        Current.Value is { } batch && ReferenceEquals(batch._transaction, transaction) ? batch : null;

    /// <summary>Opens the batch of a write transaction for the work that runs in it (and the async calls it makes).</summary>
    internal static PostgresCommitBatch Open(NpgsqlTransaction transaction) => Current.Value = new PostgresCommitBatch(transaction);

    /// <summary>
    /// Commits the transaction: a plain COMMIT when nothing was queued, else one batch. Throws when the held-back
    /// statement or the COMMIT failed; notices that failed after the commit leave <see cref="Published"/> false.
    /// </summary>
    internal async Task CommitAsync(NpgsqlConnection conn, Action<string, SqlParams?> counted)
    {
        if (_notices.Count == 0 && _last is null)
        {
            await _transaction.CommitAsync(CancellationToken.None);
            return;
        }
        await using var batch = new NpgsqlBatch(conn, _transaction);
        NpgsqlBatchCommand? last = null;
        if (_last is { } held)
        {
            counted(held.Sql, held.Parameters);
            last = new NpgsqlBatchCommand(held.Sql);
            held.Parameters.BindTo(last);
            batch.BatchCommands.Add(last);
        }
        var commit = new NpgsqlBatchCommand("COMMIT");
        batch.BatchCommands.Add(commit);
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
        catch (PostgresException ex) when (last is not null && ReferenceEquals(ex.BatchCommand, last) && _last!.Value.MapError(ex) is { } mapped)
        {
            throw mapped;
        }
        catch (PostgresException ex) when (ex.BatchCommand is { } failed && !ReferenceEquals(failed, last) && !ReferenceEquals(failed, commit))
        {
            // Committed; a notice failed (the notify queue full, say): the after-commit path publishes them again.
        }
    }
}
