using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.Users;
using static PaperGao.Api.Tests.Records.RecordsTestData;
using static PaperGao.Api.Tests.Scale.QueryPlans;

namespace PaperGao.Api.Tests.Scale;

/// <summary>Every lookup the server makes by id, email, token and relation, and an indexed sorted list, are served by an index on both databases.</summary>
public sealed class QueryPlanTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_filtered_list_sorted_on_an_indexed_number_reads_the_index_in_order_without_a_sort(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        for (var i = 0; i < 12; i++)
        {
            var body = new JsonObject { ["title"] = "p" + i, ["views"] = i * 7 % 12 };
            if (i == 3) body["data"] = new JsonObject { ["a"] = 1 };
            Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", body, ct)).Status);
        }
        var project = await MainAsync(app, ct);

        foreach (var (sort, descending) in new[] { ("-views", true), ("views", false) })
        {
            JsonNode? page = null;
            var statements = await CaptureAsync(project, "posts", async () =>
                page = await GetJsonAsync(app.Client, $"/api/collections/posts/records?perPage=5&filter=views%20%3E%202&sort={sort}", ct));
            var views = page!["items"]!.AsArray().Select(r => r!["views"]!.GetValue<double>()).ToList();
            Assert.Equal(descending ? views.OrderDescending() : views.Order(), views);
            Assert.All(views, v => Assert.True(v > 2));
            Assert.Equal(9, page["totalItems"]!.GetValue<int>());

            Assert.Equal(2, statements.Count); // the count and the page
            foreach (var s in statements)
            {
                var plan = await PlanAsync(project, s, ct);
                AssertIndexed(plan, s);
                Assert.Contains(plan, l => l.Contains("idx_posts_views", StringComparison.Ordinal));
                if (!s.Sql.Contains("ORDER BY", StringComparison.Ordinal)) continue;
                // The index gives the order: no sort step (SQLite: a temp b-tree; PostgreSQL: a Sort node).
                Assert.DoesNotContain(plan, l => l.Contains("TEMP B-TREE", StringComparison.Ordinal) || l.TrimStart().StartsWith("Sort", StringComparison.Ordinal)
                    || l.Contains("-> Sort", StringComparison.Ordinal) || l.Contains("->  Sort", StringComparison.Ordinal));
            }
        }

        // A nullable field (json) keeps SQLite's order on both databases: NULL first ascending, last descending.
        var asc = await GetJsonAsync(app.Client, "/api/collections/posts/records?perPage=50&sort=data,title", ct);
        var desc = await GetJsonAsync(app.Client, "/api/collections/posts/records?perPage=50&sort=-data,title", ct);
        Assert.Equal("p3", asc["items"]!.AsArray().Last()!["title"]!.GetValue<string>());
        Assert.Equal("p3", desc["items"]!.AsArray().First()!["title"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Auth_lookups_by_email_id_and_relation_use_an_index(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var aliceId = await SignUpAsync(app, "alice@x.io", ct);
        for (var i = 0; i < 5; i++) await SignUpAsync(app, $"user{i}@x.io", ct);
        var usersId = (await GetJsonAsync(su, "/api/collections/users", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base",
            ["listRule"] = "owner = @request.auth.id", ["viewRule"] = "owner = @request.auth.id",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = usersId, ["maxSelect"] = 1 }),
            ["indexes"] = new JsonArray("CREATE INDEX idx_notes_owner ON notes (owner)"),
        }, ct);
        var noteId = "";
        for (var i = 0; i < 6; i++)
        {
            var (s, note) = await SendAsync(su, HttpMethod.Post, "/api/collections/notes/records", new { title = "n" + i, owner = i == 0 ? aliceId : "" }, ct);
            Assert.Equal(200, s);
            if (i == 0) noteId = note!["id"]!.GetValue<string>();
        }
        var project = await MainAsync(app, ct);
        string token = "";

        async Task CheckAsync(string table, string what, Func<Task> request)
        {
            var statements = await CaptureAsync(project, table, request);
            Assert.True(statements.Count > 0, $"{what}: no statement read {table}");
            foreach (var s in statements) AssertIndexed(await PlanAsync(project, s, ct), s);
        }

        // Sign-in by email whatever its case (the email index is case-insensitive on both databases).
        await CheckAsync("users", "auth-with-password", async () => token = await SignInAsync(app, "ALICE@X.io", ct));
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "alice@x.io", password = "wrong-password-1" }, ct)).Status);
        await CheckAsync("users", "request-password-reset", async () =>
            Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-password-reset", new { email = "Alice@x.IO" }, ct)).Status));
        using var alice = ClientWith(app, token);
        await CheckAsync("users", "auth-refresh", async () =>
            Assert.Equal(200, (await SendAsync(alice, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status));
        await CheckAsync("users", "view by id", async () => await GetJsonAsync(alice, $"/api/collections/users/records/{aliceId}", ct));
        await CheckAsync("notes", "list by owner", async () =>
        {
            var page = await GetJsonAsync(alice, "/api/collections/notes/records", ct);
            Assert.Equal(1, page["totalItems"]!.GetValue<int>());
        });
        await CheckAsync("notes", "view under a rule", async () => await GetJsonAsync(alice, $"/api/collections/notes/records/{noteId}", ct));
    }
    [Theory]
    [DatabaseMatrix]
    public async Task Username_sign_in_verification_expands_updates_and_deletes_use_an_index(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        // A username identity field (a UNIQUE index on it, as the identity fields require).
        var users = (await GetJsonAsync(su, "/api/collections/users", ct)).AsObject();
        users["fields"]!.AsArray().Add(new JsonObject { ["name"] = "username", ["type"] = "text" });
        users["indexes"]!.AsArray().Add("CREATE UNIQUE INDEX idx_users_username ON users (username)");
        users["passwordAuth"] = new JsonObject { ["enabled"] = true, ["identityFields"] = new JsonArray("email", "username") };
        var (ps, pb) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", users, ct);
        Assert.True(ps == 200, pb?.ToJsonString());
        var aliceId = await SignUpAsync(app, "alice@x.io", ct, extra: new JsonObject { ["username"] = "alice" });
        for (var i = 0; i < 5; i++) await SignUpAsync(app, $"user{i}@x.io", ct, extra: new JsonObject { ["username"] = "user" + i });
        var usersId = users["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes", ["type"] = "base",
            ["listRule"] = "", ["viewRule"] = "", ["updateRule"] = "owner = @request.auth.id", ["deleteRule"] = "owner = @request.auth.id",
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "title", ["type"] = "text" },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = usersId, ["maxSelect"] = 1 }),
            ["indexes"] = new JsonArray("CREATE INDEX idx_notes_owner ON notes (owner)"),
        }, ct);
        var noteIds = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var (s, note) = await SendAsync(su, HttpMethod.Post, "/api/collections/notes/records", new { title = "n" + i, owner = i < 2 ? aliceId : "" }, ct);
            Assert.Equal(200, s);
            noteIds.Add(note!["id"]!.GetValue<string>());
        }
        var project = await MainAsync(app, ct);
        var token = "";

        async Task CheckAsync(string table, string what, Func<Task> request)
        {
            var statements = await CaptureAsync(project, table, request);
            Assert.True(statements.Count > 0, $"{what}: no statement read {table}");
            foreach (var s in statements) AssertIndexed(await PlanAsync(project, s, ct), s);
        }

        await CheckAsync("users", "auth-with-password by username", async () => token = await SignInAsync(app, "alice", ct));
        await CheckAsync("users", "request-verification", async () =>
            Assert.Equal(204, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/request-verification", new { email = "ALICE@x.io" }, ct)).Status));
        using var alice = ClientWith(app, token);
        await CheckAsync("users", "expand of a relation", async () =>
        {
            // As alice: the users' view rule lets a user see only herself.
            var page = await GetJsonAsync(alice, "/api/collections/notes/records?expand=owner&filter=owner%20!%3D%20%27%27", ct);
            Assert.All(page["items"]!.AsArray(), n => Assert.Equal(aliceId, n!["expand"]!["owner"]!["id"]!.GetValue<string>()));
        });
        await CheckAsync("notes", "back-relation expand", async () =>
        {
            var user = await GetJsonAsync(alice, $"/api/collections/users/records/{aliceId}?expand=notes_via_owner", ct);
            Assert.Equal(2, user["expand"]!["notes_via_owner"]!.AsArray().Count);
        });
        await CheckAsync("notes", "update by id under a rule", async () =>
            Assert.Equal(200, (await SendAsync(alice, HttpMethod.Patch, $"/api/collections/notes/records/{noteIds[0]}", new { title = "changed" }, ct)).Status));
        await CheckAsync("notes", "delete by id under a rule", async () =>
            Assert.Equal(204, (await SendAsync(alice, HttpMethod.Delete, $"/api/collections/notes/records/{noteIds[1]}", null, ct)).Status));
    }
}
