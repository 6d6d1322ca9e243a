using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Logs.LogsTestKit;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

/// <summary>
/// Every paged list (records over REST and GraphQL, the collections list, the logs list) sends its COUNT(*) and its page
/// to PostgreSQL in one round trip (Core/Data/PagedList). Counted with Npgsql's own tracing: one activity per command or
/// batch sent, whose statement text is the batch's statements together. On SQLite (no round trips) the same lists
/// answer the same totals.
/// </summary>
public sealed class ListRoundTripTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Every_list_sends_its_count_and_page_together(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        for (var i = 0; i < 3; i++)
            Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "p" + i, views = i }, ct)).Status);
        await WaitForLogsAsync(su, "data.method = 'POST'", items => items.Count >= 3, ct);

        using var trips = new NpgsqlStatements(db == DatabaseKind.Postgres ? new NpgsqlConnectionStringBuilder(app.Settings.Db).Database : null);
        var lists = new (string Name, Func<Task<JsonNode>> Run, long MinTotal)[]
        {
            ("records", () => GetJsonAsync(su, "/api/collections/posts/records?perPage=2&sort=-views&filter=" + Uri.EscapeDataString("views >= 0"), ct), 3),
            ("graphql", async () => (await SendAsync(su, HttpMethod.Post, "/api/graphql", new { query = "{ postsList(perPage: 2, sort: \"-views\") { totalItems items { id } } }" }, ct)).Body!["data"]!["postsList"]!, 3),
            ("collections", () => GetJsonAsync(su, "/api/collections?perPage=2&filter=" + Uri.EscapeDataString("system = false"), ct), 4),
            ("logs", () => GetJsonAsync(su, "/api/logs?perPage=2&filter=" + Uri.EscapeDataString("data.method = 'POST'"), ct), 3),
        };
        foreach (var (name, run, minTotal) in lists)
        {
            trips.Clear();
            var list = await run();
            Assert.True(list["totalItems"]!.GetValue<long>() >= minTotal, $"{name}: {list.ToJsonString()}");
            Assert.Equal(2, list["items"]!.AsArray().Count);
            if (db != DatabaseKind.Postgres) continue;
            // The statements that counted: one round trip, which also carried the page.
            var counts = trips.Sent.Where(s => s.Contains("SELECT COUNT(*)", StringComparison.Ordinal)).ToList();
            var count = Assert.Single(counts);
            Assert.Contains(" LIMIT 2 OFFSET 0", count, StringComparison.Ordinal);
            Assert.DoesNotContain(trips.Sent, s => s != count && s.Contains(" LIMIT 2 OFFSET 0", StringComparison.Ordinal));
        }
    }

    /// <summary>The statement text of every command or batch Npgsql sends to one database while it is alive.</summary>
    private sealed class NpgsqlStatements : IDisposable
    {
        private readonly ActivityListener? _listener;
        private readonly ConcurrentQueue<string> _sent = new();

        public NpgsqlStatements(string? database)
        {
            if (database is null) return;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a =>
                {
                    // The tag names of the older and the current OpenTelemetry database conventions.
                    var db = a.GetTagItem("db.namespace") ?? a.GetTagItem("db.name");
                    if (db as string == database && (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement")) is string sql) _sent.Enqueue(sql);
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<string> Sent => [.. _sent];

        public void Clear() => _sent.Clear();

        public void Dispose() => _listener?.Dispose();
    }
}
