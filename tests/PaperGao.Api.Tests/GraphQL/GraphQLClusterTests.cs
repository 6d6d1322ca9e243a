using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>
/// Two server processes on one PostgreSQL database: a collection created, changed or deleted on node A changes the
/// GraphQL schema node B answers with (the schema-change broadcast replaces B's collection set, and its schemas are
/// rebuilt from it), for superusers and guests alike.
/// </summary>
public sealed class GraphQLClusterTests(PostgresCluster postgres)
{
    [Fact]
    public async Task A_collection_change_on_one_node_reaches_the_GraphQL_schema_of_the_other()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(ct);
        await using var a = await RealtimeNode.StartAsync(database.ConnectionString, ct);
        await using var b = await RealtimeNode.StartAsync(database.ConnectionString, ct, createSuperuser: false);
        using var suOnB = b.NewClient();
        suOnB.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", a.Superuser.DefaultRequestHeaders.GetValues("Authorization").First());

        // B has built and cached its schemas before the change.
        Assert.Equal(400, (await ErrorAsync(b.Guest, "{ notesList { totalItems } }", ct: ct)).Status);
        Assert.Equal(400, (await ErrorAsync(suOnB, "{ notesList { totalItems } }", ct: ct)).Status);

        await CreateAsync(a.Superuser, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }),
        }, ct);
        await SendAsync(a.Superuser, HttpMethod.Post, "/api/collections/notes/records", new { text = "from A" }, ct);
        await WaitForAsync(async () => (await PostAsync(b.Guest, "{ notesList { items { text } } }", ct: ct)).Status == 200, TimeSpan.FromSeconds(15), "the new collection in B's guest schema", ct);
        Assert.Equal("from A", (await DataAsync(b.Guest, "{ notesList { items { text } } }", ct: ct))["notesList"]!["items"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(1, (await DataAsync(suOnB, "{ notesList { totalItems } }", ct: ct))["notesList"]!["totalItems"]!.GetValue<int>());

        // Locking the list rule on A removes the root field from B's guest schema; the superuser keeps it.
        Assert.Equal(200, (await SendAsync(a.Superuser, HttpMethod.Patch, "/api/collections/notes", new JsonObject { ["listRule"] = null }, ct)).Status);
        await WaitForAsync(async () => (await PostAsync(b.Guest, "{ notesList { totalItems } }", ct: ct)).Status == 400, TimeSpan.FromSeconds(15), "the locked list gone from B's guest schema", ct);
        Assert.Equal(1, (await DataAsync(suOnB, "{ notesList { totalItems } }", ct: ct))["notesList"]!["totalItems"]!.GetValue<int>());

        // Deleting it on A removes it from B's superuser schema too.
        Assert.Equal(204, (await SendAsync(a.Superuser, HttpMethod.Delete, "/api/collections/notes", null, ct)).Status);
        await WaitForAsync(async () => (await PostAsync(suOnB, "{ notesList { totalItems } }", ct: ct)).Status == 400, TimeSpan.FromSeconds(15), "the deleted collection gone from B's schema", ct);
    }
}
