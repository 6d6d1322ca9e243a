using System.Diagnostics;
using PaperGao.Core.Collections;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Tests.Logs;

/// <summary>The bounded hand-off of request logs: a full queue drops and counts, and never makes the caller wait.</summary>
public sealed class RequestLogQueueTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pg-logqueue-" + Guid.NewGuid().ToString("N")[..10]);
    private Project _project = null!;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _project = new Project("main", new SqliteProjectDatabase(Path.Combine(_dir, "data.db")), new CollectionSet([], 0), new ProjectSettings(), Path.Combine(_dir, "storage"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _project.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static RequestLogEntry Entry(int status = 200) => new()
    {
        Created = DateTime.UtcNow, Method = "GET", Path = "/api/health", Status = status, DurationMs = 1.5, AuthKind = "guest",
    };

    [Fact]
    public async Task A_full_queue_drops_and_counts_without_blocking()
    {
        var queue = new RequestLogQueue(3);
        for (var i = 0; i < 3; i++) Assert.True(queue.TryEnqueue(_project, Entry()));
        Assert.Equal(3, queue.Pending);

        // Nobody drains: 10,000 more entries are refused at once, none waits for room.
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10_000; i++) Assert.False(queue.TryEnqueue(_project, Entry()));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"enqueueing into a full queue took {watch.Elapsed}");
        Assert.Equal(10_000, queue.Dropped);
        Assert.Equal(3, queue.Pending);

        // Room again after the writer takes one.
        Assert.True(queue.Reader.TryRead(out var first));
        Assert.Same(_project, first.Project);
        Assert.True(queue.TryEnqueue(_project, Entry()));
        queue.Complete();
        Assert.False(queue.TryEnqueue(_project, Entry()));
        Assert.Equal(10_001, queue.Dropped);
        var drained = 0;
        await foreach (var _ in queue.Reader.ReadAllAsync(TestContext.Current.CancellationToken)) drained++;
        Assert.Equal(3, drained);
    }

    [Fact]
    public void Rows_follow_the_settings_and_redact_credentials()
    {
        var entry = new RequestLogEntry
        {
            Created = new DateTime(2026, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc), Method = "GET", Path = "/p/shop/api/files/c/r/a.png",
            Query = "?thumb=100x100&token=eyJhbGciOi.secret&Password=x&api%5Fkey=k&keep=1", Status = 403, DurationMs = 2.25,
            AuthKind = "auth", AuthCollection = "users", AuthId = "abcdefghijklmno", UserIp = "10.0.0.1", RemoteIp = "127.0.0.1",
            Referer = "https://app.example/x?code=oauth-code&ok=1#access_token=frag", UserAgent = "ua",
        };
        var row = LogRowBuilder.Build(entry, LogSettings.Default)!;
        Assert.Equal(LogLevels.Warn, row.Level);
        Assert.Equal("2026-01-02 03:04:05.678Z", row.Created);
        Assert.Equal("GET /p/shop/api/files/c/r/a.png?thumb=100x100&token=[redacted]&Password=[redacted]&api%5Fkey=[redacted]&keep=1", row.Message);
        Assert.DoesNotContain("secret", row.DataJson, StringComparison.Ordinal);
        Assert.DoesNotContain("oauth-code", row.DataJson, StringComparison.Ordinal);
        Assert.DoesNotContain("frag", row.DataJson, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdefghijklmno", row.DataJson, StringComparison.Ordinal); // logAuthId off by default
        Assert.Contains("\"userIP\":\"10.0.0.1\"", row.DataJson, StringComparison.Ordinal);

        var withId = LogRowBuilder.Build(entry, LogSettings.Default with { LogAuthId = true, LogIp = false })!;
        Assert.Contains("abcdefghijklmno", withId.DataJson, StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.1", withId.DataJson, StringComparison.Ordinal);

        Assert.Null(LogRowBuilder.Build(entry, LogSettings.Default with { MinLevel = LogLevels.Error }));
        Assert.Null(LogRowBuilder.Build(entry, LogSettings.Default with { MaxDays = 0 }));
        Assert.Equal(LogLevels.Error, LogRowBuilder.Build(Entry(503), LogSettings.Default)!.Level);
        Assert.Equal(LogLevels.Info, LogRowBuilder.Build(Entry(204), LogSettings.Default)!.Level);
    }

    [Fact]
    public void Percentiles_come_from_the_minute_histogram()
    {
        var m = new MinuteAggregate("2026-01-01 00:00:00.000Z");
        for (var i = 0; i < 90; i++) m.Add(200, 0.8);  // bucket "≤ 1 ms"
        for (var i = 0; i < 9; i++) m.Add(500, 40);    // bucket "≤ 50 ms"
        m.Add(404, 12_345);                           // open bucket
        Assert.Equal(100, m.Total);
        Assert.Equal(9, m.Errors);
        Assert.Equal(1, m.ClientErrors);
        Assert.Equal(1, LatencyHistogram.Percentile(m.Buckets, 0.50, m.MaxMs));
        Assert.Equal(50, LatencyHistogram.Percentile(m.Buckets, 0.95, m.MaxMs));
        Assert.Equal(12_345, LatencyHistogram.Percentile(m.Buckets, 1.0, m.MaxMs));
        Assert.Equal(0, LatencyHistogram.Percentile(new long[LatencyHistogram.Count], 0.5, 0));
        Assert.Equal("2026-01-02 03:04:00.000Z", MinuteAggregate.MinuteOf(new DateTime(2026, 1, 2, 3, 4, 59, 999, DateTimeKind.Utc)));
    }

    [Fact]
    public void Log_ids_are_record_shaped_unique_and_time_ordered()
    {
        var t = new DateTime(2026, 11, 24, 16, 0, 0, DateTimeKind.Utc);
        var ids = Enumerable.Range(0, 10_000).Select(_ => LogIds.New(t)).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-z0-9]{15}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(string.CompareOrdinal(LogIds.New(t), LogIds.New(t.AddMilliseconds(1))) < 0);
        Assert.True(string.CompareOrdinal(LogIds.New(t), LogIds.New(t.AddDays(400))) < 0);
    }
}
