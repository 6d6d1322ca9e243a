using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

/// <summary>$app.asUser(e.auth): finds and writes with the collection's API rules for the caller; $app keeps full access.</summary>
public sealed class FunctionAsUserTests(PostgresCluster postgres)
{
    private const string Code = """
        routerAdd("GET", "/api/notes/mine", (e) => e.json(200, {
          mine: $app.asUser(e.auth).findRecordsByFilter("notes", "", "text").map((r) => r.get("text")),
          count: $app.asUser(e.auth).countRecords("notes"),
          all: $app.countRecords("notes"),
        }))
        routerAdd("GET", "/api/notes/one/{id}", (e) => e.json(200, { text: $app.asUser(e.auth).findRecordById("notes", e.request.pathValue("id")).get("text") }))
        routerAdd("POST", "/api/notes/for/{owner}", (e) => {
          const r = new Record("notes", { text: "by " + e.auth.email(), owner: e.request.pathValue("owner") })
          $app.asUser(e.auth).save(r)
          return e.json(200, { id: r.id })
        }, $apis.requireAuth())
        routerAdd("DELETE", "/api/notes/{id}", (e) => {
          $app.asUser(e.auth).delete($app.findRecordById("notes", e.request.pathValue("id")))
          return e.noContent(204)
        }, $apis.requireAuth())
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task As_user_applies_the_rules_of_the_caller(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        const string rule = "owner = @request.auth.id";
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base",
            ["listRule"] = rule, ["viewRule"] = rule, ["createRule"] = rule, ["updateRule"] = rule, ["deleteRule"] = rule,
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "text", ["type"] = "text" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = "_pb_users_auth_", ["maxSelect"] = 1 }),
        }, ct);
        var alice = await Users.SignUpAsync(app, "alice@example.test", ct);
        var bob = await Users.SignUpAsync(app, "bob@example.test", ct);
        using var aliceHttp = await Users.SignedInClientAsync(app, "alice@example.test", ct);
        using var bobHttp = await Users.SignedInClientAsync(app, "bob@example.test", ct);
        var (status, body) = await DeployAsync(su, Code, ct);
        Assert.True(status == 200, body?.ToJsonString());

        // Writes: for yourself passes the create rule, for someone else does not (nothing written).
        (status, var mine) = await SendAsync(aliceHttp, HttpMethod.Post, $"/api/notes/for/{alice}", null, ct);
        Assert.True(status == 200, mine?.ToJsonString());
        (status, body) = await SendAsync(aliceHttp, HttpMethod.Post, $"/api/notes/for/{bob}", null, ct);
        Assert.Equal(400, status);
        (status, var bobs) = await SendAsync(bobHttp, HttpMethod.Post, $"/api/notes/for/{bob}", null, ct);
        Assert.Equal(200, status);

        // Finds: each caller sees their own; $app sees everything; a guest sees nothing.
        var list = await GetJsonAsync(aliceHttp, "/api/notes/mine", ct);
        Assert.Equal(["by alice@example.test"], list["mine"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, list["count"]!.GetValue<double>());
        Assert.Equal(2, list["all"]!.GetValue<double>());
        list = await GetJsonAsync(app.Client, "/api/notes/mine", ct);
        Assert.Empty(list["mine"]!.AsArray());
        Assert.Equal(0, list["count"]!.GetValue<double>());
        var aliceNote = mine!["id"]!.GetValue<string>();
        Assert.Equal("by alice@example.test", (await GetJsonAsync(aliceHttp, $"/api/notes/one/{aliceNote}", ct))["text"]!.GetValue<string>());
        (status, _) = await SendAsync(bobHttp, HttpMethod.Get, $"/api/notes/one/{aliceNote}", null, ct);
        Assert.Equal(404, status);

        // Delete: the delete rule of the caller.
        (status, _) = await SendAsync(bobHttp, HttpMethod.Delete, $"/api/notes/{aliceNote}", null, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(aliceHttp, HttpMethod.Delete, $"/api/notes/{aliceNote}", null, ct);
        Assert.Equal(204, status);
        Assert.Equal(1, (await GetJsonAsync(bobHttp, "/api/notes/mine", ct))["all"]!.GetValue<double>());
        Assert.NotNull(bobs);
    }
}
