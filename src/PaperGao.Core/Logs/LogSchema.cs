using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;

namespace PaperGao.Core.Logs;

/// <summary>
/// The tables of a project's log database: "_logs" (one row per stored log, PocketBase's log model) and
/// "_logMinutes" (per-minute request aggregates with a latency histogram). Column types come from the dialect.
/// </summary>
public static class LogSchema
{
    public const string LogsTable = "_logs";
    public const string MinutesTable = "_logMinutes";

    /// <summary>"_logs" described as a collection, so the filter compiler serves the list filter and sort.</summary>
    public static Collection Collection { get; } = BuildCollection();

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

    private static Collection BuildCollection()
    {
        var c = new Collection { Id = LogsTable, Name = LogsTable, Type = CollectionType.Base, System = true };
        c.Fields.Add(TextField.CreateIdField());
        c.Fields.Add(new AutodateField { Name = "created", Id = FieldIds.For("autodate", "created"), OnCreate = true });
        c.Fields.Add(new NumberField { Name = "level", Id = FieldIds.For("number", "level") });
        c.Fields.Add(new TextField { Name = "message", Id = FieldIds.For("text", "message") });
        c.Fields.Add(new JsonField { Name = "data", Id = FieldIds.For("json", "data") });
        return c;
    }
}
