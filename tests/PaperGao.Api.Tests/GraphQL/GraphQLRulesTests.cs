using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>Rules and visibility through GraphQL are the REST ones, for guests, users, superusers and API keys (security.md 13, 16-19).</summary>
public sealed class GraphQLRulesTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Guest_user_superuser_and_keys_see_what_REST_shows_them(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var usersId = (await GetJsonAsync(su, "/api/collections/users", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base", ["listRule"] = "owner = @request.auth.id", ["viewRule"] = "owner = @request.auth.id",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "text", ["type"] = "text" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = usersId, ["maxSelect"] = 1 }),
        }, ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "shares", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "user", ["type"] = "relation", ["collectionId"] = usersId, ["maxSelect"] = 1 }),
        }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "members", ["type"] = "auth", ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "" }, ct);

        var dan = await SignUpAsync(app.Client, "users", "dan@example.com", false, ct);
        var eve = await SignUpAsync(app.Client, "users", "eve@example.com", true, ct);
        await SignUpAsync(app.Client, "members", "m1@example.com", false, ct);
        await SignUpAsync(app.Client, "members", "m2@example.com", true, ct);
        foreach (var (owner, text) in new[] { (dan.Id, "dan's"), (eve.Id, "eve's") })
        {
            await SendAsync(su, HttpMethod.Post, "/api/collections/notes/records", new { text, owner }, ct);
            await SendAsync(su, HttpMethod.Post, "/api/collections/shares/records", new { user = owner }, ct);
        }
        await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "top secret" }, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "Ann", secret = "s3cr3t" }, ct);
        using var danClient = app.CreateClient();
        danClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", dan.Token);

        // Superuser-only collections and hidden fields are not in a guest's schema at all.
        var (status, error) = await ErrorAsync(app.Client, "{ lockedList { totalItems } }", ct: ct);
        Assert.Equal(400, status);
        Assert.Contains("lockedList", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (status, _) = await ErrorAsync(app.Client, "{ authorsList { items { secret } } }", ct: ct);
        Assert.Equal(400, status);
        Assert.Equal(1, (await DataAsync(su, "{ lockedList { totalItems } }", ct: ct))["lockedList"]!["totalItems"]!.GetValue<int>());
        Assert.Equal("s3cr3t", (await DataAsync(su, "{ authorsList { items { secret } } }", ct: ct))["authorsList"]!["items"]![0]!["secret"]!.GetValue<string>());

        // A filter on a hidden field or with @request is refused as on REST (400 / 403 in extensions), nothing returned.
        var (_, body) = await PostAsync(app.Client, "{ authorsList(filter: \"secret = 's3cr3t'\") { totalItems } }", ct: ct);
        Assert.Equal(400, body["errors"]![0]!["extensions"]!["status"]!.GetValue<int>());
        Assert.Null(body["data"]?["authorsList"]);
        (_, body) = await PostAsync(app.Client, "{ postsList(filter: \"@request.auth.id = ''\") { totalItems } }", ct: ct);
        Assert.Equal(403, body["errors"]![0]!["extensions"]!["status"]!.GetValue<int>());

        // Rules with @request.auth: each user sees their own notes, nested relations apply the target's view rule (as expand).
        foreach (var (client, expected) in new[] { (app.Client, 0), (danClient, 1), (su, 2) })
        {
            var rest = await GetJsonAsync(client, "/api/collections/notes/records", ct);
            var gql = (await DataAsync(client, "{ notesList { totalItems items { text } } }", ct: ct))["notesList"]!;
            Assert.Equal(expected, gql["totalItems"]!.GetValue<int>());
            Assert.Equal(rest["totalItems"]!.GetValue<int>(), gql["totalItems"]!.GetValue<int>());
        }
        Assert.Equal("dan's", (await DataAsync(danClient, "{ notesList { items { text } } }", ct: ct))["notesList"]!["items"]![0]!["text"]!.GetValue<string>());
        var shares = (await DataAsync(danClient, "{ sharesList { items { user { id email } } } }", ct: ct))["sharesList"]!["items"]!.AsArray();
        var visible = Assert.Single(shares, s => s!["user"] is not null)!;
        Assert.Equal(dan.Id, visible["user"]!["id"]!.GetValue<string>());
        Assert.Equal("dan@example.com", visible["user"]!["email"]!.GetValue<string>());
        Assert.Equal(2, shares.Count);
        var guestShares = (await DataAsync(app.Client, "{ sharesList { items { user { id } } } }", ct: ct))["sharesList"]!["items"]!.AsArray();
        Assert.All(guestShares, s => Assert.Null(s!["user"]));
        Assert.Null((await DataAsync(danClient, "query($id: ID!) { users(id: $id) { id } }", new { id = eve.Id }, ct))["users"]);

        // Email visibility: exactly where REST shows it.
        foreach (var client in new[] { app.Client, danClient, su })
        {
            var rest = (await GetJsonAsync(client, "/api/collections/members/records?sort=email", ct))["items"]!.AsArray();
            var gql = (await DataAsync(client, "{ membersList(sort: \"email\") { items { email } } }", ct: ct))["membersList"]!["items"]!.AsArray();
            Assert.Equal(rest.Count, gql.Count);
            for (var i = 0; i < rest.Count; i++) Assert.Equal(rest[i]!["email"]?.GetValue<string>(), gql[i]!["email"]?.GetValue<string>());
        }
        var guestMembers = (await DataAsync(app.Client, "{ membersList(sort: \"email\") { items { email } } }", ct: ct))["membersList"]!["items"]!.AsArray();
        Assert.Null(guestMembers[0]!["email"]);
        Assert.Equal("m2@example.com", guestMembers[1]!["email"]!.GetValue<string>());

        // A scoped API key: only its collections and actions, with their rules opened; a superuser key is a superuser.
        var (_, created) = await SendAsync(su, HttpMethod.Post, "/api/keys", new { name = "reader", scopes = new[] { new { collection = "locked", actions = new[] { "list" } } } }, ct);
        using var keyClient = app.CreateClient();
        keyClient.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", created!["key"]!.GetValue<string>());
        Assert.Equal(1, (await DataAsync(keyClient, "{ lockedList { totalItems items { title } } }", ct: ct))["lockedList"]!["totalItems"]!.GetValue<int>());
        foreach (var denied in new[] { "{ postsList { totalItems } }", "{ locked(id: \"x\") { id } }", "mutation { createLocked(data: {title: \"x\"}) { id } }" })
            Assert.Equal(400, (await ErrorAsync(keyClient, denied, ct: ct)).Status);
        // A key without write scopes has no Mutation type: a plain validation error (a client mistake), not an internal one.
        var (noMutationStatus, noMutation) = await ErrorAsync(keyClient, "mutation { createLocked(data: {title: \"x\"}) { id } }", ct: ct);
        Assert.Equal(400, noMutationStatus);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", noMutation["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("Mutation", noMutation["message"]!.GetValue<string>(), StringComparison.Ordinal);
        (_, created) = await SendAsync(su, HttpMethod.Post, "/api/keys", new { name = "admin", superuser = true }, ct);
        using var adminKey = app.CreateClient();
        adminKey.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + created!["key"]!.GetValue<string>());
        Assert.Equal("s3cr3t", (await DataAsync(adminKey, "{ authorsList { items { secret } } }", ct: ct))["authorsList"]!["items"]![0]!["secret"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_manager_sees_the_emails_it_manages_in_lists_views_relations_and_mutations_as_on_REST(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        const string managers = "@request.auth.collectionName = 'users'";
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "members", ["type"] = "auth", ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "",
            ["updateRule"] = managers, ["manageRule"] = managers,
        }, ct);
        var members = await GetJsonAsync(su, "/api/collections/members", ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "teams", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "member", ["type"] = "relation", ["collectionId"] = members["id"]!.GetValue<string>(), ["maxSelect"] = 1 }),
        }, ct);
        var dan = await SignUpAsync(app.Client, "users", "dan@example.com", false, ct);
        var m1 = await SignUpAsync(app.Client, "members", "m1@example.com", false, ct);
        await SignUpAsync(app.Client, "members", "m2@example.com", false, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/teams/records", new { member = m1.Id }, ct);
        using var danClient = app.CreateClient();
        danClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", dan.Token);

        foreach (var (client, managed) in new[] { (app.Client, false), (danClient, true) })
        {
            // List: the same emails as REST's list (all for the manager, none for a guest: emailVisibility is off).
            var rest = (await GetJsonAsync(client, "/api/collections/members/records?sort=email", ct))["items"]!.AsArray();
            var gql = (await DataAsync(client, "{ membersList(sort: \"email\") { items { email } } }", ct: ct))["membersList"]!["items"]!.AsArray();
            Assert.Equal(rest.Select(r => r!["email"]?.GetValue<string>()), gql.Select(r => r!["email"]?.GetValue<string>()));
            Assert.Equal(managed ? ["m1@example.com", "m2@example.com"] : new string?[] { null, null }, gql.Select(r => r!["email"]?.GetValue<string>()));

            // View and relation (REST view and expand).
            var view = (await DataAsync(client, "query($id: ID!) { members(id: $id) { email } }", new { id = m1.Id }, ct))["members"]!;
            Assert.Equal((await GetJsonAsync(client, $"/api/collections/members/records/{m1.Id}", ct))["email"]?.GetValue<string>(), view["email"]?.GetValue<string>());
            var team = (await DataAsync(client, "{ teamsList { items { member { email } } } }", ct: ct))["teamsList"]!["items"]![0]!["member"]!;
            var restTeam = (await GetJsonAsync(client, "/api/collections/teams/records?expand=member", ct))["items"]![0]!["expand"]!["member"]!;
            Assert.Equal(restTeam["email"]?.GetValue<string>(), team["email"]?.GetValue<string>());
            Assert.Equal(managed ? "m1@example.com" : null, team["email"]?.GetValue<string>());
        }

        // A mutation answers the written record as REST's update does: the manager sees its email.
        var updated = (await DataAsync(danClient, "mutation($id: ID!) { updateMembers(id: $id, data: { emailVisibility: false }) { email } }", new { id = m1.Id }, ct))["updateMembers"]!;
        Assert.Equal("m1@example.com", updated["email"]!.GetValue<string>());
    }

    internal static async Task<(string Id, string Token)> SignUpAsync(HttpClient guest, string collection, string email, bool emailVisibility, CancellationToken ct)
    {
        const string password = "Pass-word-1234";
        var (status, rec) = await SendAsync(guest, HttpMethod.Post, $"/api/collections/{collection}/records", new { email, password, passwordConfirm = password, emailVisibility }, ct);
        Assert.True(status == 200, rec?.ToJsonString());
        var (_, auth) = await SendAsync(guest, HttpMethod.Post, $"/api/collections/{collection}/auth-with-password", new { identity = email, password }, ct);
        return (rec!["id"]!.GetValue<string>(), auth!["token"]!.GetValue<string>());
    }
}
