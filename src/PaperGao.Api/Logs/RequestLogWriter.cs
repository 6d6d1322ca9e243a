using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Api.Logs;

/// <summary>
/// Drains the <see cref="RequestLogQueue"/> in batches (up to <see cref="MaxBatch"/> entries, gathered for
/// <see cref="PaperGaoOptions.LogFlushDelay"/> after the first one arrives): per project it builds
/// the log rows the settings allow, adds the requests to the per-minute aggregates, and writes both in one
/// transaction of the project's log database. Retention (settings.logs.maxDays) is enforced when a project is first
/// written, every <see cref="PaperGaoOptions.LogCleanupInterval"/>, and at once when its settings change.
/// A failing write is logged and the batch dropped; the writer never stops the process.
/// </summary>
public sealed class RequestLogWriter(RequestLogQueue queue, LogStores stores, PaperGaoOptions options, ILogger<RequestLogWriter> log) : BackgroundService
{
    public const int MaxBatch = 2000;

    /// <summary>Per project: when its retention was last enforced and under which settings snapshot.</summary>
    private readonly ConditionalWeakTable<Project, CleanupState> _cleanup = new();

    private sealed class CleanupState
    {
        public DateTimeOffset Last { get; set; } = DateTimeOffset.MinValue;
        public ProjectSettings? Settings { get; set; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<QueuedLog>(MaxBatch);
        // Not cancelled by stoppingToken: on shutdown the queue is completed and what is in it is still written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            Drain(batch);
            // Let a batch gather: one transaction (and one minute upsert) per flush instead of one per request or two.
            if (batch.Count < MaxBatch && options.LogFlushDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.LogFlushDelay, CancellationToken.None);
                Drain(batch);
            }
            foreach (var group in batch.GroupBy(b => b.Project))
            {
                try
                {
                    await WriteAsync(group.Key, [.. group.Select(g => g.Entry)]);
                }
                catch (ObjectDisposedException)
                {
                    // The project was deleted meanwhile: its logs went with it.
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Request logs of project {Project} could not be written ({Count} dropped)", group.Key.Name, group.Count());
                }
            }
        }
    }

    private void Drain(List<QueuedLog> batch)
    {
        while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item)) batch.Add(item);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(Project project, IReadOnlyList<RequestLogEntry> entries)
    {
        var snapshot = project.Settings;
        var settings = LogSettings.Of(snapshot);
        var rows = new List<LogRow>(entries.Count);
        var minutes = new Dictionary<string, MinuteAggregate>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (LogRowBuilder.Build(e, settings) is { } row) rows.Add(row);
            var key = MinuteAggregate.MinuteOf(e.Created);
            if (!minutes.TryGetValue(key, out var m)) minutes[key] = m = new MinuteAggregate(key);
            m.Add(e.Status, e.DurationMs);
        }
        var store = await stores.GetAsync(project);
        // Retention first: once a batch is visible, the cleanup its settings asked for is done.
        var state = _cleanup.GetOrCreateValue(project);
        var now = project.Time.GetUtcNow();
        if (now - state.Last >= options.LogCleanupInterval || !ReferenceEquals(state.Settings, snapshot))
        {
            state.Last = now;
            state.Settings = snapshot;
            await store.CleanupAsync(now, settings.MaxDays);
        }
        await store.WriteAsync(rows, minutes.Values);
    }
}
