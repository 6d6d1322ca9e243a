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
}
