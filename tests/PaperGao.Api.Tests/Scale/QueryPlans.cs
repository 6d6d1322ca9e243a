using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Captures the statements one request runs (through <see cref="ProjectDatabase.StatementObserver"/>) and asks the
/// database how it would run each one: EXPLAIN QUERY PLAN on SQLite, EXPLAIN with sequential scans disabled on
/// PostgreSQL (so a small test table still shows whether an index <i>can</i> serve the statement).
/// </summary>
internal static class QueryPlans
{
    public sealed record Statement(string Sql, SqlParams? Parameters);

    public static async Task<Project> MainAsync(PaperGaoApp app, CancellationToken ct) =>
        (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;

    /// <summary>The statements <paramref name="request"/> made that read <paramref name="table"/> (SELECTs naming it).</summary>
    public static async Task<List<Statement>> CaptureAsync(Project project, string table, Func<Task> request)
    {
        var seen = new List<Statement>();
        project.Database.StatementObserver = (sql, p) => { lock (seen) seen.Add(new Statement(sql, p)); };
        try
        {
            await request();
        }
        finally
        {
            project.Database.StatementObserver = null;
        }
        var quoted = "\"" + table + "\"";
        lock (seen)
            return [.. seen.Where(s => s.Sql.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) && s.Sql.Contains(quoted, StringComparison.Ordinal))];
    }

    /// <summary>The plan's lines (SQLite: the "detail" column; PostgreSQL: the text plan).</summary>
    public static Task<List<string>> PlanAsync(Project project, Statement s, CancellationToken ct)
    {
        var db = project.Database;
        var pg = db.Dialect.Name == "postgres";
        return db.ReadAsync(async conn =>
        {
            var lines = new List<string>();
            // In a transaction: on PostgreSQL the request pool multiplexes, so a session SET would not reach the EXPLAIN.
            await using var tx = await conn.BeginTransactionAsync(ct);
            if (pg) await ExecAsync(conn, tx, "SET LOCAL enable_seqscan = off", ct);
            await using (var cmd = db.Command(conn, tx, (pg ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + s.Sql, s.Parameters))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct)) lines.Add(reader.GetString(pg ? 0 : 3));
            }
            await tx.RollbackAsync(ct);
            return lines;
        }, ct);
    }

    /// <summary>
    /// Fails when a plan reads the whole table: a SQLite "SCAN" (a full table or full index scan) or a PostgreSQL
    /// "Seq Scan" (which, with sequential scans disabled, is chosen only when no index can serve the statement).
    /// </summary>
    public static void AssertIndexed(IReadOnlyList<string> plan, Statement s)
    {
        var text = string.Join("\n", plan);
        Assert.False(plan.Any(l => l.TrimStart().StartsWith("SCAN ", StringComparison.Ordinal) || l.Contains("Seq Scan", StringComparison.Ordinal)),
            $"a full scan for:\n{s.Sql}\nplan:\n{text}");
    }

    private static async Task ExecAsync(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
