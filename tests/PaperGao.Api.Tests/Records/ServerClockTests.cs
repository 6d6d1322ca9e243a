using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.MailTestKit;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

/// <summary>
/// The server's clock (the TimeProvider in its services) is the one stored timestamps and expiries read: autodates,
/// a collection's created/updated, and the file tokens GraphQL puts in protected file URLs. The test moves a fake
/// clock instead of waiting.
/// </summary>
public sealed class ServerClockTests(PostgresCluster postgres)
{
    private static readonly DateTimeOffset Start = new(2031, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Theory]
    [DatabaseMatrix]
    public async Task Autodates_collections_and_graphql_file_tokens_follow_the_server_clock(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Start);
        await using var app = await PaperGaoApp.StartAsync(db, postgres, clock, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "doc", ["type"] = "file", ["maxSelect"] = 1, ["protected"] = true },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true },
                new JsonObject { ["name"] = "updated", ["type"] = "autodate", ["onCreate"] = true, ["onUpdate"] = true }),
        }, ct);
        var collection = await GetJsonAsync(su, "/api/collections/notes", ct);
        Assert.Equal("2031-01-02 03:04:05.678Z", collection["created"]!.GetValue<string>());

        string id;
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("first"), "title");
            form.Add(new ByteArrayContent("secret doc"u8.ToArray()), "doc", "doc.txt");
            using var r = await su.PostAsync("/api/collections/notes/records", form, ct);
            var created = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
            Assert.True(r.IsSuccessStatusCode, created.ToJsonString());
            Assert.Equal("2031-01-02 03:04:05.678Z", created["created"]!.GetValue<string>());
            Assert.Equal("2031-01-02 03:04:05.678Z", created["updated"]!.GetValue<string>());
            id = created["id"]!.GetValue<string>();
        }

        clock.Advance(TimeSpan.FromHours(1));
        var (status, updated) = await SendAsync(su, HttpMethod.Patch, "/api/collections/notes/records/" + id, new { title = "second" }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        Assert.Equal("2031-01-02 03:04:05.678Z", updated!["created"]!.GetValue<string>());
        Assert.Equal("2031-01-02 04:04:05.678Z", updated["updated"]!.GetValue<string>());
        (status, var patched) = await SendAsync(su, HttpMethod.Patch, "/api/collections/notes", new { listRule = "" }, ct);
        Assert.True(status == 200, patched?.ToJsonString());
        Assert.Equal("2031-01-02 04:04:05.678Z", patched!["updated"]!.GetValue<string>());

        // GraphQL's file URL carries a file token that expires on the server's clock (the superusers' 180 s).
        var url = (await DataAsync(su, "query($id: ID!) { notes(id: $id) { doc { url } } }", new { id }, ct))["notes"]!["doc"]!["url"]!.GetValue<string>();
        var token = Uri.UnescapeDataString(url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds() + 180, Claims(token)["exp"]!.GetValue<long>());
        using (var r = await app.Client.GetAsync(url, ct)) Assert.Equal("secret doc", await r.Content.ReadAsStringAsync(ct));
        clock.Advance(TimeSpan.FromSeconds(181));
        using (var r = await app.Client.GetAsync(url, ct)) Assert.NotEqual(200, (int)r.StatusCode);
    }

    /// <summary>
    /// The filter macros (@now, @todayStart, @year, ...) read the same clock, in a record rule, a client filter and the
    /// collections and logs lists' filters. A record dated on the real today tells the wall clock apart.
    /// </summary>
    [Theory]
    [DatabaseMatrix]
    public async Task Filter_macros_in_rules_and_filters_follow_the_server_clock(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Start);
        await using var app = await PaperGaoApp.StartAsync(db, postgres, clock, ct);
        var su = await app.SuperuserClientAsync(ct);
        const string today = "at >= @todayStart && at <= @todayEnd";
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "events", ["type"] = "base", ["listRule"] = today, ["viewRule"] = today,
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }, new JsonObject { ["name"] = "at", ["type"] = "date" }),
        }, ct);
        var wallToday = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " 12:00:00.000Z";
        var ids = new Dictionary<string, string>();
        foreach (var (title, at) in new[] { ("jan2", "2031-01-02 10:00:00.000Z"), ("jan3", "2031-01-03 10:00:00.000Z"), ("wall", wallToday) })
        {
            var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/events/records", new { title, at }, ct);
            Assert.True(status == 200, body?.ToJsonString());
            ids[title] = body!["id"]!.GetValue<string>();
        }

        async Task<string[]> TitlesAsync(HttpClient client, string query) =>
            [.. (await GetJsonAsync(client, "/api/collections/events/records?sort=at&" + query, ct))["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>())];

        // A rule: the guest sees the clock's today only.
        Assert.Equal(["jan2"], await TitlesAsync(app.Client, ""));
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/events/records/" + ids["jan2"], null, ct)).Status);
        // A client filter, with date and number macros.
        Assert.Equal(["jan2"], await TitlesAsync(su, "filter=" + Uri.EscapeDataString("at > @yesterday && at < @tomorrow")));
        Assert.Equal(["wall", "jan2", "jan3"], await TitlesAsync(su, "filter=" + Uri.EscapeDataString("@year = 2031 && @month = 1 && @day = 2 && @hour = 3")));
        Assert.Equal(["wall"], await TitlesAsync(su, "filter=" + Uri.EscapeDataString("at < @now")));

        // 2031-01-03 00:04:05.678 on the server's clock (21 hours on: the superuser's token is still valid): the same
        // rule and filters now answer for that day.
        clock.Advance(TimeSpan.FromHours(21));
        Assert.Equal(["jan3"], await TitlesAsync(app.Client, ""));
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/events/records/" + ids["jan2"], null, ct)).Status);
        Assert.Equal(["jan2", "jan3"], await TitlesAsync(su, "filter=" + Uri.EscapeDataString("at > @yesterday && at < @tomorrow")));
        Assert.Equal(["wall", "jan2"], await TitlesAsync(su, "filter=" + Uri.EscapeDataString("at < @now")));

        // The collections and logs lists' filters read it too (the collection was created on the fake clock's 2031-01-02).
        var collections = await GetJsonAsync(su, "/api/collections?filter=" + Uri.EscapeDataString("name = 'events' && created >= @yesterday && created < @todayStart"), ct);
        Assert.Equal(1, collections["totalItems"]!.GetValue<int>());
        // The wall clock's year never matches 2031: the test's requests appear only through the server's clock.
        await Logs.LogsTestKit.WaitForLogsAsync(su, "@year = 2031 && @day = 3", items => items.Count > 0, ct);
        Assert.Equal(0, (await GetJsonAsync(su, "/api/logs?filter=" + Uri.EscapeDataString("@year != 2031"), ct))["totalItems"]!.GetValue<int>());
    }
}
