using System.Diagnostics.Metrics;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;
using PaperGao.Core.Telemetry;

namespace PaperGao.Server.Telemetry;

/// <summary>
/// PaperGao's gauges, read from live state at each scrape (nothing is counted on the request path): realtime connections
/// and the SQLite writer queue per open project, the request-log queue and its drops.
/// </summary>
public sealed class PaperGaoObservers : IDisposable
{
    private readonly Meter _meter;

    public PaperGaoObservers(IMeterFactory meters, ProjectRegistry projects, RealtimeBroker realtime, RequestLogQueue logs)
    {
        _meter = meters.Create(PaperGaoMetrics.MeterName);
        _meter.CreateObservableUpDownCounter("papergao.realtime.connections", () => PerProject(projects, p => realtime.ConnectionCount(p.Name)),
            "{connection}", "Open realtime connections (SSE and WebSocket), by project.");
        _meter.CreateObservableUpDownCounter("papergao.sqlite.write.queue", () => PerProject(projects, p => p.Database is SqliteProjectDatabase s ? s.PendingWrites : -1),
            "{write}", "Writes waiting for a project's SQLite writer.");
        _meter.CreateObservableUpDownCounter("papergao.requestlog.queue", () => logs.Pending,
            "{entry}", "Request-log entries waiting for the background writer.");
        _meter.CreateObservableCounter("papergao.requestlog.dropped", () => logs.Dropped,
            "{entry}", "Request-log entries dropped because the queue was full.");
    }

    private static IEnumerable<Measurement<int>> PerProject(ProjectRegistry projects, Func<Project, int> read)
    {
        foreach (var p in projects.OpenProjects)
        {
            var value = read(p);
            if (value >= 0) yield return new Measurement<int>(value, new KeyValuePair<string, object?>("project", p.Name));
        }
    }

    public void Dispose() => _meter.Dispose();
}
