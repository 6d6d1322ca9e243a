using PaperGao.Core.Data;
using PaperGao.Core.Filter;

namespace PaperGao.Core.Logs;

/// <summary>
/// The tables of a project's log database: "_logs" (one row per stored log, PocketBase's log model) and
/// "_logMinutes" (per-minute request aggregates with a latency histogram). Column types come from the dialect.
/// </summary>
public static class LogSchema
{
    public const string LogsTable = "_logs";
    public const string MinutesTable = "_logMinutes";

    /// <summary>The fields the logs list's filter and sort may use: the columns of "_logs", and data.* paths into its JSON.</summary>
    public static IReadOnlyList<FilterColumn> FilterColumns { get; } =
    [
        new("id", ColumnKind.Text),
        new("created", ColumnKind.Text),
        new("level", ColumnKind.Number),
        new("message", ColumnKind.Text),
        new("data", ColumnKind.Json),
    ];

    public static IReadOnlyList<string> CreateStatements(ISqlDialect d)
    {
        var number = d.ColumnDefinition(ColumnKind.Number);
        var buckets = string.Concat(Enumerable.Range(0, LatencyHistogram.Count).Select(i => $", {d.Quote(BucketColumn(i))} {number}"));
        return
        [
            $"CREATE TABLE IF NOT EXISTS {d.Quote(LogsTable)} ({d.Quote("id")} TEXT PRIMARY KEY NOT NULL, {d.Quote("created")} {d.ColumnDefinition(ColumnKind.Text)}, " +
            $"{d.Quote("level")} {number}, {d.Quote("message")} {d.ColumnDefinition(ColumnKind.Text)}, {d.Quote("data")} {d.ColumnDefinition(ColumnKind.Json)})",
            $"CREATE INDEX IF NOT EXISTS {d.Quote("_logs_created_idx")} ON {d.Quote(LogsTable)} ({d.Quote("created")})",
            $"CREATE TABLE IF NOT EXISTS {d.Quote(MinutesTable)} ({d.Quote("minute")} TEXT PRIMARY KEY NOT NULL, {d.Quote("total")} {number}, " +
            $"{d.Quote("errors")} {number}, {d.Quote("clientErrors")} {number}, {d.Quote("durationSum")} {number}, {d.Quote("maxMs")} {number}{buckets})",
        ];
    }

    public static string BucketColumn(int i) => "b" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
