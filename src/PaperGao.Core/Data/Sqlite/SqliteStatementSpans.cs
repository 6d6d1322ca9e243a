using System.Diagnostics;
using Microsoft.Data.Sqlite;
using PaperGao.Core.Telemetry;
using SQLitePCL;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>
/// A span per SQLite statement while traces are exported (PaperGaoTracing.SqliteStatements): SQLite's profile callback
/// runs when a statement finishes, on the thread that ran it, with its SQL text (placeholders, never values) and its
/// run time, so the span is a child of the request, function or write that ran it. Statements outside any span
/// (start-up, background jobs with no trace) are not reported.
/// </summary>
internal static class SqliteStatementSpans
{
    private static readonly strdelegate_profile Callback = static (state, sql, ns) => Report((string)state, sql, ns);

    public static void Attach(SqliteConnection connection, string project)
    {
        if (PaperGaoTracing.SqliteStatements) raw.sqlite3_profile(connection.Handle, Callback, project);
    }

    private static void Report(string project, string sql, long ns)
    {
        if (Activity.Current is null || !PaperGaoTracing.Source.HasListeners()) return;
        var end = DateTimeOffset.UtcNow;
        var operation = Operation(sql);
        using var span = PaperGaoTracing.Source.StartActivity("sqlite " + operation, ActivityKind.Client, default(ActivityContext), startTime: end.AddTicks(-ns / 100));
        if (span is null) return;
        span.SetTag("db.system.name", "sqlite");
        span.SetTag("db.namespace", project);
        span.SetTag("db.operation.name", operation);
        span.SetTag("db.query.text", sql);
        span.SetEndTime(end.UtcDateTime);
    }

    /// <summary>The statement's first keyword (SELECT, INSERT, ...), for the span name.</summary>
    private static string Operation(string sql)
    {
        var s = sql.AsSpan().TrimStart();
        var end = 0;
        while (end < s.Length && end < 16 && char.IsAsciiLetter(s[end])) end++;
        return end == 0 ? "statement" : s[..end].ToString().ToUpperInvariant();
    }
}
