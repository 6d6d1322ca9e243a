using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PaperGao.Core.Telemetry;

/// <summary>
/// PaperGao's own instruments that are recorded where things happen (docs/monitoring.md lists each). They cost a
/// check of a flag while no listener (the metrics exporter) is attached. Gauges read from live state are in the
/// server's observers, not here.
/// </summary>
public static class PaperGaoMetrics
{
    public const string MeterName = "PaperGao";

    public static readonly Meter Meter = new(MeterName, "1.0");

    /// <summary>Record API operations by project, collection and action (list, view, create, update, delete).</summary>
    public static readonly Counter<long> RecordOperations =
        Meter.CreateCounter<long>("papergao.record.operations", "{operation}", "Record API operations by project, collection and action.");

    /// <summary>Time a SQLite write waited in the writer queue before it started.</summary>
    public static readonly Histogram<double> SqliteWriteWait =
        Meter.CreateHistogram<double>("papergao.sqlite.write.wait", "s", "Time a write waited in the SQLite writer queue before it ran.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Requests refused with 429 by the per-project rate limiter.</summary>
    public static readonly Counter<long> RateLimitRejections =
        Meter.CreateCounter<long>("papergao.ratelimit.rejections", "{request}", "Requests refused with 429 by the rate limiter, by project and rule.");

    /// <summary>Backup create and restore durations.</summary>
    public static readonly Histogram<double> BackupDuration =
        Meter.CreateHistogram<double>("papergao.backup.duration", "s", "Duration of backup creation and restore (failed ones included), by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] });

    /// <summary>Function runs (routes, hooks, cron jobs), failed ones included.</summary>
    public static readonly Histogram<double> FunctionDuration =
        Meter.CreateHistogram<double>("papergao.function.duration", "s", "Duration of JavaScript function runs (route, middleware, hook, cron), failed ones included; its count is the invocations.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    /// <summary>Time from a record change's commit to the start of its realtime fan-out.</summary>
    public static readonly Histogram<double> RealtimeFanoutLag =
        Meter.CreateHistogram<double>("papergao.realtime.fanout.lag", "s", "Time from a record change's commit to the start of its realtime fan-out (the fan-out worker's backlog).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    /// <summary>GraphQL schema builds: one per collection set and kind of caller (after a start or a collection change), never per request.</summary>
    public static readonly Histogram<double> GraphQLSchemaBuild =
        Meter.CreateHistogram<double>("papergao.graphql.schema.build", "s", "Time to build a project's GraphQL schema for one kind of caller (superuser, public, key) after a start or a collection change.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    public static void RecordOperation(string project, string collection, string action)
    {
        if (!RecordOperations.Enabled) return;
        RecordOperations.Add(1, new KeyValuePair<string, object?>("project", project), new KeyValuePair<string, object?>("collection", collection),
            new KeyValuePair<string, object?>("action", action));
    }

    public static void RateLimited(string project, string rule)
    {
        if (!RateLimitRejections.Enabled) return;
        RateLimitRejections.Add(1, new KeyValuePair<string, object?>("project", project), new KeyValuePair<string, object?>("rule", rule));
    }

    /// <summary>Times a backup operation until disposed (<c>using var _ = PaperGaoMetrics.TimeBackup("create");</c>).</summary>
    public static Timing TimeBackup(string operation) => new(BackupDuration, "operation", operation);

    /// <summary>Times a function run until disposed, tagged with its kind (route, middleware, hook, cron).</summary>
    public static Timing TimeFunction(object kind) => new(FunctionDuration, "kind", kind);

    /// <summary>Times a GraphQL schema build until disposed, tagged with the kind of caller it is for.</summary>
    public static Timing TimeGraphQLSchemaBuild(string caller) => new(GraphQLSchemaBuild, "caller", caller);

    /// <summary>Stopwatch.GetTimestamp() when the fan-out lag is recorded, else 0 (nothing to measure).</summary>
    public static long FanoutStart() => RealtimeFanoutLag.Enabled ? Stopwatch.GetTimestamp() : 0;

    public static void FanoutBegins(long start)
    {
        if (start != 0) RealtimeFanoutLag.Record(Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Records the time from its creation to its disposal into a histogram, with one tag.</summary>
    public readonly struct Timing(Histogram<double> histogram, string tag, object? value) : IDisposable
    {
        private readonly long _start = histogram.Enabled ? Stopwatch.GetTimestamp() : 0;

        public void Dispose()
        {
            if (_start != 0) histogram.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, new KeyValuePair<string, object?>(tag, value is Enum ? value.ToString()!.ToLowerInvariant() : value));
        }
    }
}
