using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>Every field type maps to its GraphQL type and reads back what REST returns; relations nest 3 deep.</summary>
public sealed class GraphQLFieldTypesTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Every_field_type_reads_back_as_REST_returns_it(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "kinds", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "text", ["type"] = "text" },
                new JsonObject { ["name"] = "editor", ["type"] = "editor" },
                new JsonObject { ["name"] = "mail", ["type"] = "email" },
                new JsonObject { ["name"] = "link", ["type"] = "url" },
                new JsonObject { ["name"] = "count", ["type"] = "number", ["onlyInt"] = true },
                new JsonObject { ["name"] = "ratio", ["type"] = "number" },
                new JsonObject { ["name"] = "flag", ["type"] = "bool" },
                new JsonObject { ["name"] = "when", ["type"] = "date" },
                new JsonObject { ["name"] = "meta", ["type"] = "json" },
                new JsonObject { ["name"] = "one", ["type"] = "select", ["maxSelect"] = 1, ["values"] = new JsonArray("x", "y") },
                new JsonObject { ["name"] = "many", ["type"] = "select", ["maxSelect"] = 2, ["values"] = new JsonArray("x", "y") },
                new JsonObject { ["name"] = "where", ["type"] = "geoPoint" },
                new JsonObject { ["name"] = "doc", ["type"] = "file", ["maxSelect"] = 1, ["protected"] = true },
                new JsonObject { ["name"] = "pics", ["type"] = "file", ["maxSelect"] = 3 },
                new JsonObject { ["name"] = "created", ["type"] = "autodate", ["onCreate"] = true }),
        }, ct);
        var kindsId = (await GetJsonAsync(su, "/api/collections/kinds", ct))["id"]!.GetValue<string>();
        var fields = (await GetJsonAsync(su, "/api/collections/kinds", ct))["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = "parent", ["type"] = "relation", ["collectionId"] = kindsId, ["maxSelect"] = 1 });
        fields.Add(new JsonObject { ["name"] = "friends", ["type"] = "relation", ["collectionId"] = kindsId, ["maxSelect"] = 5 });
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/kinds", new JsonObject { ["fields"] = fields.DeepClone() }, ct)).Status);

        // The root, then a chain of three children (3 levels of relations), made through GraphQL.
        var root = (await DataAsync(app.Client, """
            mutation { createKinds(data: { text: "root", editor: "<p>hi</p>", mail: "a@b.co", link: "https://x.example", count: 7, ratio: 0.5, flag: true,
              when: "2024-01-02 03:04:05.000Z", meta: { a: [1, "two", null] }, one: "x", many: ["x", "y"], where: { lon: 1.5, lat: -2.25 } }) { id } }
            """, ct: ct))["createKinds"]!["id"]!.GetValue<string>();
        var parent = root;
        for (var i = 1; i <= 3; i++)
        {
            parent = (await DataAsync(app.Client, "mutation($p: ID, $t: String) { createKinds(data: { text: $t, parent: $p, friends: [$p] }) { id } }",
                new { p = parent, t = "level" + i }, ct))["createKinds"]!["id"]!.GetValue<string>();
        }
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent("secret doc"u8.ToArray()), "doc", "doc.txt");
            form.Add(new ByteArrayContent("pic"u8.ToArray()), "pics", "a.txt");
            using var r = await su.PatchAsync($"/api/collections/kinds/records/{root}", form, ct);
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync(ct));
        }

        var data = await DataAsync(su, "query($id: ID!) { kinds(id: $id) { id collectionName text editor mail link count ratio flag when meta one many where { lon lat } doc { name url } pics { name url(thumb: \"0x0\") } created } }", new { id = root }, ct);
        var rest = await GetJsonAsync(su, $"/api/collections/kinds/records/{root}", ct);
        var k = data["kinds"]!;
        foreach (var name in new[] { "text", "editor", "mail", "link", "when", "one", "created" })
            Assert.Equal(rest[name]!.GetValue<string>(), k[name]!.GetValue<string>());
        Assert.Equal(7, k["count"]!.GetValue<int>());
        Assert.Equal(0.5, k["ratio"]!.GetValue<double>());
        Assert.True(k["flag"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(rest["meta"], k["meta"]));
        Assert.True(JsonNode.DeepEquals(rest["many"], k["many"]));
        Assert.True(JsonNode.DeepEquals(rest["where"], k["where"]));
        Assert.Equal("kinds", k["collectionName"]!.GetValue<string>());
        Assert.Equal(rest["doc"]!.GetValue<string>(), k["doc"]!["name"]!.GetValue<string>());
        Assert.Equal(rest["pics"]![0]!.GetValue<string>(), k["pics"]![0]!["name"]!.GetValue<string>());

        // The protected file's URL carries a file token of the caller; the plain one works as it is.
        var docUrl = k["doc"]!["url"]!.GetValue<string>();
        Assert.Contains("token=", docUrl, StringComparison.Ordinal);
        using (var r = await app.Client.GetAsync(docUrl, ct)) Assert.Equal("secret doc", await r.Content.ReadAsStringAsync(ct));
        using (var r = await app.Client.GetAsync(k["pics"]![0]!["url"]!.GetValue<string>(), ct)) Assert.Equal(200, (int)r.StatusCode);
        var guestDoc = (await DataAsync(app.Client, "query($id: ID!) { kinds(id: $id) { doc { url } } }", new { id = root }, ct))["kinds"]!["doc"]!["url"]!.GetValue<string>();
        Assert.DoesNotContain("token=", guestDoc, StringComparison.Ordinal);

        // Three levels down through single relations, and back up through back-relations and multiple relations.
        var chain = await DataAsync(app.Client, "query($id: ID!) { kinds(id: $id) { text parent { text parent { text parent { text meta } } } friends { text } } }", new { id = parent }, ct);
        Assert.Equal("root", chain["kinds"]!["parent"]!["parent"]!["parent"]!["text"]!.GetValue<string>());
        Assert.Equal("two", chain["kinds"]!["parent"]!["parent"]!["parent"]!["meta"]!["a"]![1]!.GetValue<string>());
        Assert.Equal("level2", chain["kinds"]!["friends"]![0]!["text"]!.GetValue<string>());
        var back = await DataAsync(app.Client, "query($id: ID!) { kinds(id: $id) { kinds_via_parent { text kinds_via_parent { text kinds_via_friends { text } } } } }", new { id = root }, ct);
        Assert.Equal("level3", back["kinds"]!["kinds_via_parent"]![0]!["kinds_via_parent"]![0]!["kinds_via_friends"]![0]!["text"]!.GetValue<string>());
    }
}
