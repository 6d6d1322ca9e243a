using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Logs;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// <c>estimateTotal=1</c>: exact up to TotalEstimate.ExactUpTo matches, an estimate above it (PostgreSQL's planner,
/// SQLite's match density by rowid), marked by totalEstimated. Without it a list answers exactly as PocketBase does.
/// The records, collections and logs lists share it (PagedList).
/// </summary>
public sealed class EstimatedTotalTests(PostgresCluster postgres)
{
    private const int Rows = 20_000;

    [Theory]
    [DatabaseMatrix]
    public async Task An_estimated_total_is_exact_for_few_matches_close_for_many_and_opt_in(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateItemsAsync(su, ct);
        await SeedAsync(app, ct);

        // Default: PocketBase's exact total, no extra field.
        var plain = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&filter=" + Uri.EscapeDataString("n < 50"), ct);
        Assert.Equal(Rows / 2, plain["totalItems"]!.GetValue<int>());
        Assert.Null(plain["totalEstimated"]);

        // Few matches: exact, and said so.
        var few = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&estimateTotal=1&filter=" + Uri.EscapeDataString("n = 3"), ct);
        AssertExact(few, Rows / 100, perPage: 10);

        // Many matches: an estimate above the exact limit, near the truth on these evenly spread rows.
        var all = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=100&estimateTotal=true", ct);
        AssertEstimated(all, Rows, perPage: 100);

        var half = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=5&sort=-n&estimateTotal=1&filter=" + Uri.EscapeDataString("n < 50"), ct);
        AssertEstimated(half, Rows / 2, perPage: 5);
        Assert.All(half["items"]!.AsArray(), i => Assert.Equal(49, i!["n"]!.GetValue<int>()));

        // Matches only in the second half of the table (by insertion): SQLite's windows are spread over all of it.
        var after = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=1&estimateTotal=1&filter=" + Uri.EscapeDataString("id >= 'r00000000010001'"), ct);
        AssertEstimated(after, Rows / 2, perPage: 1);

        // estimateTotal=0 is the default; fields= leaves the envelope alone.
        var off = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=1&estimateTotal=0&fields=id", ct);
        Assert.Equal(Rows, off["totalItems"]!.GetValue<int>());
        Assert.Null(off["totalEstimated"]);
    }

    /// <summary>
    /// A small SQLite table (at most TotalEstimate.SqliteExactTableRowIds rowids) is counted exactly, not sampled: the
    /// sample would cost more than the count. 9,000 rows with matches in their first part only: 8 windows over them would
    /// say 4,380, not 4,321.
    /// </summary>
    [Fact]
    public async Task A_small_sqlite_table_is_counted_exactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateItemsAsync(su, ct);
        await SeedAsync(app, ct, rows: 9_000);
        Assert.True(9_000 <= TotalEstimate.SqliteExactTableRowIds);

        var first = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&estimateTotal=1&filter=" + Uri.EscapeDataString("id <= 'r00000000004321'"), ct);
        Assert.Equal(4_321, first["totalItems"]!.GetValue<int>());
        Assert.Equal(433, first["totalPages"]!.GetValue<int>());
        Assert.True(first["totalEstimated"]!.GetValue<bool>()); // above ExactUpTo: "take it as an estimate" (it is exact)

        var all = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&estimateTotal=1", ct);
        Assert.Equal(9_000, all["totalItems"]!.GetValue<int>());
        var few = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&estimateTotal=1&filter=" + Uri.EscapeDataString("n = 3"), ct);
        AssertExact(few, 90, perPage: 10);
        var none = await GetJsonAsync(app.Client, "/api/collections/items/records?perPage=10&estimateTotal=1&filter=" + Uri.EscapeDataString("n = 1000"), ct);
        AssertExact(none, 0, perPage: 10);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_estimateTotal_values_are_400_on_every_list(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "items", ["type"] = "base", ["listRule"] = "", ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }) }, ct);

        foreach (var list in (string[])["/api/collections/items/records", "/api/collections", "/api/logs"])
        {
            var (status, body) = await SendAsync(su, HttpMethod.Get, list + "?estimateTotal=maybe", null, ct);
            Assert.True(status == 400, $"{list}: {status} {body?.ToJsonString()}");
            Assert.Equal("Invalid estimateTotal value: expected a boolean.", body!["message"]!.GetValue<string>());
            Assert.Equal(400, body["status"]!.GetValue<int>());

            (status, body) = await SendAsync(su, HttpMethod.Get, list + "?estimateTotal=1&skipTotal=1", null, ct);
            Assert.True(status == 400, $"{list}: {status} {body?.ToJsonString()}");
            Assert.Equal("SkipTotal and estimateTotal exclude each other: ask for one.", body!["message"]!.GetValue<string>());
        }
    }

    /// <summary>
    /// The collections list takes estimateTotal too. A project never has more than ExactUpTo collections in practice,
    /// so its total is exact, and says so.
    /// </summary>
    [Theory]
    [DatabaseMatrix]
    public async Task The_collections_list_estimates_the_same_way(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        for (var i = 0; i < 3; i++)
            await CreateAsync(su, new JsonObject { ["name"] = $"items{i}", ["type"] = "base", ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }) }, ct);

        var plain = await GetJsonAsync(su, "/api/collections?perPage=2", ct);
        var exact = plain["totalItems"]!.GetValue<int>();
        Assert.True(exact >= 4, plain.ToJsonString());
        Assert.Null(plain["totalEstimated"]);

        var estimated = await GetJsonAsync(su, "/api/collections?perPage=2&estimateTotal=1", ct);
        AssertExact(estimated, exact, perPage: 2);

        var filtered = await GetJsonAsync(su, "/api/collections?estimateTotal=true&sort=-name&filter=" + Uri.EscapeDataString("name ~ 'items'"), ct);
        AssertExact(filtered, 3, perPage: 30);
        Assert.Equal(["items2", "items1", "items0"], filtered["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_logs_list_estimates_the_same_way(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var store = await app.Services.GetRequiredService<LogStores>().GetAsync(project);
        await SeedLogsAsync(store, ct);
        // The requests of the test are logged beside the seeded rows: each query below names the seeded ones.
        const string seeded = "message = 'seed'";

        var plain = await GetJsonAsync(su, "/api/logs?perPage=10&filter=" + Uri.EscapeDataString(seeded), ct);
        Assert.Equal(Rows, plain["totalItems"]!.GetValue<int>());
        Assert.Null(plain["totalEstimated"]);

        var few = await GetJsonAsync(su, "/api/logs?perPage=10&estimateTotal=1&filter=" + Uri.EscapeDataString(seeded + " && level = 3"), ct);
        AssertExact(few, Rows / 100, perPage: 10);

        var all = await GetJsonAsync(su, "/api/logs?perPage=100&estimateTotal=1&filter=" + Uri.EscapeDataString(seeded), ct);
        AssertEstimated(all, Rows, perPage: 100);

        var half = await GetJsonAsync(su, "/api/logs?perPage=5&sort=-level&estimateTotal=1&filter=" + Uri.EscapeDataString(seeded + " && level < 50"), ct);
        AssertEstimated(half, Rows / 2, perPage: 5);
        Assert.All(half["items"]!.AsArray(), i => Assert.Equal(49, i!["level"]!.GetValue<int>()));
    }

    /// <summary>Rows written straight into the log table: message "seed", level = i % 100, all created now.</summary>
    private static async Task SeedLogsAsync(LogStore store, CancellationToken ct)
    {
        var d = store.Database;
        var p = new SqlParams();
        var created = p.Add(DateTimes.Format(DateTimeOffset.UtcNow));
        var table = d.Dialect.Quote(LogSchema.LogsTable);
        var sql = d.Dialect.Name == "sqlite"
            ? $"""
               WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {Rows})
               INSERT INTO {table} ("id", "created", "level", "message", "data") SELECT printf('seed%011d', i), {created}, i % 100, 'seed', '{"{}"}' FROM s
               """
            : $"""
               INSERT INTO {table} ("id", "created", "level", "message", "data")
               SELECT 'seed' || lpad(i::text, 11, '0'), {created}, i % 100, 'seed', '{"{}"}' FROM generate_series(1, {Rows}) AS i
               """;
        await d.WriteAsync(async tx =>
        {
            await d.ExecuteAsync(tx, sql, p, ct);
            if (d.Dialect.Name != "sqlite") await d.ExecuteAsync(tx, $"ANALYZE {table}", null, ct); // what autovacuum does
        }, ct);
    }

    /// <summary>An exact total, said to be exact, with its pages and a full first page.</summary>
    private static void AssertExact(JsonNode page, int total, int perPage)
    {
        Assert.Equal(total, page["totalItems"]!.GetValue<int>());
        Assert.Equal((total + perPage - 1) / perPage, page["totalPages"]!.GetValue<int>());
        Assert.False(page["totalEstimated"]!.GetValue<bool>());
        Assert.Equal(Math.Min(total, perPage), page["items"]!.AsArray().Count);
    }

    /// <summary>An estimate, said to be one: above the exact limit, within a third of the true count, its pages following it.</summary>
    private static void AssertEstimated(JsonNode page, long expected, int perPage)
    {
        Assert.True(page["totalEstimated"]!.GetValue<bool>());
        var actual = page["totalItems"]!.GetValue<long>();
        Assert.True(actual > TotalEstimate.ExactUpTo, $"{actual} is not above the exact limit");
        Assert.InRange(actual, expected * 2 / 3, expected * 4 / 3);
        Assert.Equal((actual + perPage - 1) / perPage, page["totalPages"]!.GetValue<long>());
        Assert.Equal(perPage, page["items"]!.AsArray().Count);
    }

    /// <summary>The "items" collection the records tests seed: title (text) and n (number), listed by anyone.</summary>
    private static Task CreateItemsAsync(HttpClient su, CancellationToken ct) => CreateAsync(su, new JsonObject
    {
        ["name"] = "items", ["type"] = "base", ["listRule"] = "",
        ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }, new JsonObject { ["name"] = "n", ["type"] = "number" }),
    }, ct);

    /// <summary>Rows written straight into the table (20,000 API creates would dominate the test): n = i % 100.</summary>
    private static async Task SeedAsync(PaperGaoApp app, CancellationToken ct, int rows = Rows)
    {
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var d = project.Database;
        var sql = d.Dialect.Name == "sqlite"
            ? $"""
               WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows})
               INSERT INTO "items" ("id", "title", "n") SELECT printf('r%014d', i), 'item ' || i, i % 100 FROM s
               """
            : $"""
               INSERT INTO "items" ("id", "title", "n")
               SELECT 'r' || lpad(i::text, 14, '0'), 'item ' || i, i % 100 FROM generate_series(1, {rows}) AS i
               """;
        await d.WriteAsync(async tx =>
        {
            await d.ExecuteAsync(tx, sql, null, ct);
            if (d.Dialect.Name != "sqlite") await d.ExecuteAsync(tx, "ANALYZE \"items\"", null, ct); // what autovacuum does
        }, ct);
    }
}
