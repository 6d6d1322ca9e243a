using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>
/// The connection options of the request path (docs/scaling.md, "PostgreSQL"): what they save per request, measured
/// with bench/run.sh, and what keeps them safe. An option the operator set in the connection string is kept.
/// </summary>
public static class PostgresConnectionTuning
{
    /// <summary>Statements kept prepared per connection (Npgsql's auto-prepare, least recently used out).</summary>
    public const int MaxAutoPrepare = 256;

    /// <summary>
    /// <list type="bullet">
    /// <item>No reset on close: without it every pooled connection runs a reset (DISCARD ALL, or Npgsql's longer
    /// script once statements are prepared) in front of its next statement, i.e. on every request. The request path sets
    /// no session state that outlives its unit of work (a changed statement_timeout is reset, advisory locks are released
    /// or die with their connection); console SQL runs on a separate, resetting pool.</item>
    /// <item>Auto-prepare: a statement run twice on a connection is prepared there, so PostgreSQL skips parsing and
    /// planning it. A column whose type changed makes such a plan fail ("cached plan must not change result type"):
    /// the pool is cleared on every schema change (this node's and the other nodes', through the bus) and a read that
    /// meets it anyway is retried once on a fresh connection (<see cref="PostgresProjectDatabase"/>).</item>
    /// <item>No enlisting in ambient System.Transactions (never used here; the check costs on every open).</item>
    /// <item>A failed statement of a batch is named on its exception (always, not an operator's choice): a write's
    /// commit batch (<see cref="PostgresCommitBatch"/>) tells by it whether the write or only a notice after the commit
    /// failed.</item>
    /// </list>
    /// </summary>
    public static NpgsqlConnectionStringBuilder Apply(NpgsqlConnectionStringBuilder b)
    {
        b.IncludeFailedBatchedCommand = true;
        if (!Given(b, "No Reset On Close")) b.NoResetOnClose = true;
        if (!Given(b, "Max Auto Prepare")) b.MaxAutoPrepare = MaxAutoPrepare;
        if (!Given(b, "Auto Prepare Min Usages")) b.AutoPrepareMinUsages = 2;
        if (!Given(b, "Enlist")) b.Enlist = false;
        return b;
    }

    /// <summary>
    /// Multiplexing for the request path's pool (unless the connection string says otherwise): statements of concurrent
    /// requests that are not in a transaction share physical connections, and Npgsql writes them to the socket together
    /// and reads their answers in one loop. Far fewer socket writes, reads and thread hand-offs per request, which is
    /// most of what a view costs on PostgreSQL (docs/scaling.md). A transaction still has its connection to itself.
    /// Session state does not survive between statements outside a transaction on such a pool, so the work that needs
    /// it (a statement_timeout changed at run time, session advisory locks) runs on <see cref="Pinned"/> connections.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Multiplex(NpgsqlConnectionStringBuilder b)
    {
        if (!Given(b, "Multiplexing")) b.Multiplexing = true;
        return b;
    }

    /// <summary>The same options without multiplexing: one connection per user, for work that keeps session state.</summary>
    public static NpgsqlConnectionStringBuilder Pinned(NpgsqlConnectionStringBuilder b)
    {
        b.Multiplexing = false;
        return b;
    }

    /// <summary>Whether the connection string itself names the keyword (Npgsql's builder answers ContainsKey for every keyword it knows).</summary>
    private static bool Given(NpgsqlConnectionStringBuilder b, string keyword)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = b.ConnectionString };
        return given.ContainsKey(keyword) || given.ContainsKey(keyword.Replace(" ", "", StringComparison.Ordinal));
    }
}
