using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>Bad input and the request bounds (security.md 17, 20, 21): clean GraphQL errors, never SQL, never a stack trace.</summary>
public sealed class GraphQLLimitsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_cached_document_is_still_held_to_the_complexity_limit_when_another_operation_or_other_variables_are_used(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "a" }, ct);
        const string heavy = "postsList(perPage: 1000) { items { comments_via_post { post { comments_via_post { id } } } } }";

        // Two operations: the cheap one runs (and the document is cached), the heavy one of the same text is refused.
        var twoOps = "query Cheap { postsList(perPage: 1) { totalItems } } query Heavy { " + heavy + " }";
        for (var round = 0; round < 2; round++)
        {
            var cheap = await PostJsonAsync(app.Client, new { query = twoOps, operationName = "Cheap" }, ct);
            Assert.Equal(1, cheap["data"]!["postsList"]!["totalItems"]!.GetValue<int>());
            var refused = await PostJsonAsync(app.Client, new { query = twoOps, operationName = "Heavy" }, ct);
            Assert.Null(refused["data"]);
            Assert.Contains("complex", refused["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        }

        // Variables: perPage 1 runs (cached), perPage 1000 with the same text is refused.
        const string byVariable = "query($n: Int) { postsList(perPage: $n) { items { comments_via_post { post { comments_via_post { id } } } } } }";
        Assert.NotNull((await PostAsync(app.Client, byVariable, new { n = 1 }, ct)).Body["data"]!["postsList"]);
        var (_, tooMany) = await PostAsync(app.Client, byVariable, new { n = 1000 }, ct);
        Assert.Null(tooMany["data"]);
        Assert.NotEmpty(tooMany["errors"]!.AsArray());

        // A cached document without variables gives the same answer every time (plain fields resolved inline).
        var first = (await PostAsync(app.Client, "{ postsList { items { id title } } }", ct: ct)).Body.ToJsonString();
        Assert.Contains("\"title\":\"a\"", first, StringComparison.Ordinal);
        Assert.Equal(first, (await PostAsync(app.Client, "{ postsList { items { id title } } }", ct: ct)).Body.ToJsonString());
    }

    private static async Task<JsonNode> PostJsonAsync(HttpClient client, object body, CancellationToken ct)
    {
        using var r = await client.PostAsJsonAsync("/api/graphql", body, ct);
        return JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_input_and_oversized_queries_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "a" }, ct);

        var deep = "{ postsList { items { " + string.Concat(Enumerable.Repeat("author { authors_via_x: posts_via_author { ", 0)) + "comments_via_post { post { comments_via_post { post { comments_via_post { post { comments_via_post { post { comments_via_post { post { id } } } } } } } } } } } } }";
        string[] refused =
        [
            "{ postsList { items { id }",                      // syntax
            "{ postsList { items { nope } } }",                 // unknown field
            "{ nope }",
            deep,                                               // deeper than 10
            "{ postsList(perPage: 1000) { items { comments_via_post { post { comments_via_post { id } } } } } }", // too complex
            "{ " + string.Join(" ", Enumerable.Range(0, 60).Select(i => $"a{i}: postsList {{ totalItems }}")) + " }", // aliases
            "{ postsList { totalItems } } " + new string(' ', 20_001),  // too long
            "{ __schema { types { name } } }",                  // introspection is for superusers
            "query A { postsList { totalItems } } query B { postsList { totalItems } }", // which operation?
            "subscription { posts { action } }",                // subscriptions are WebSocket only
        ];
        foreach (var q in refused)
        {
            var (status, body) = await PostAsync(app.Client, q, ct: ct);
            Assert.True(status == 400, $"{q[..Math.Min(q.Length, 80)]}: {status} {body.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
            Assert.Null(body["data"]);
            Assert.NotEmpty(body["errors"]!.AsArray());
            Assert.DoesNotContain("   at ", body.ToJsonString(), StringComparison.Ordinal);
        }
        // The same failures with Accept: application/json are 200 with errors (GraphQL-over-HTTP).
        Assert.Equal(200, (await PostAsync(app.Client, "{ nope }", accept: "application/json", ct: ct)).Status);
        // A superuser may introspect; so may everybody when the project says so.
        Assert.NotNull((await DataAsync(su, "{ __schema { queryType { name } } }", ct: ct))["__schema"]);
        var (_, settings) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { graphql = new { introspection = "all" } }, ct);
        Assert.Equal("all", settings!["graphql"]!["introspection"]!.GetValue<string>());
        Assert.NotNull((await DataAsync(app.Client, "{ __schema { queryType { name } } }", ct: ct))["__schema"]);

        // Filters with SQL in them are filter errors (400 in extensions), never SQL.
        foreach (var filter in new[] { "title = 'a' OR 1=1 --", "title = 'a'; DROP TABLE posts", "title = \"a\" /*", "(((title = 'a')" })
        {
            var (status, body) = await PostAsync(app.Client, "query($f: String) { postsList(filter: $f) { totalItems } }", new { f = filter }, ct);
            Assert.Equal(200, status);
            Assert.Equal(400, body["errors"]![0]!["extensions"]!["status"]!.GetValue<int>());
        }
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        // HTTP-level bad input: no JSON, not JSON, wrong parameter types, a GET mutation, an unacceptable Accept.
        using (var r = await app.Client.PostAsync("/api/graphql", new StringContent("{ \"not json", System.Text.Encoding.UTF8, "application/json"), ct)) Assert.Equal(400, (int)r.StatusCode);
        using (var r = await app.Client.PostAsync("/api/graphql", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"), ct)) Assert.Equal(415, (int)r.StatusCode);
        using (var r = await app.Client.PostAsJsonAsync("/api/graphql", new { query = 1 }, ct)) Assert.Equal(400, (int)r.StatusCode);
        using (var r = await app.Client.PostAsJsonAsync("/api/graphql", new { query = "{ postsList { totalItems } }", variables = "x" }, ct)) Assert.Equal(400, (int)r.StatusCode);
        using (var r = await app.Client.GetAsync("/api/graphql?query=" + Uri.EscapeDataString("mutation { deletePosts(id: \"x\") }"), ct)) Assert.Equal(405, (int)r.StatusCode);
        using (var r = await app.Client.GetAsync("/api/graphql?query=" + Uri.EscapeDataString("{ postsList { totalItems } }"), ct))
        {
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal(1, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["data"]!["postsList"]!["totalItems"]!.GetValue<int>());
        }
        using (var req = new HttpRequestMessage(HttpMethod.Post, "/api/graphql") { Content = JsonContent.Create(new { query = "{ __typename }" }) })
        {
            req.Headers.TryAddWithoutValidation("Accept", "text/html");
            using var r = await app.Client.SendAsync(req, ct);
            Assert.Equal(406, (int)r.StatusCode);
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_page_of_100_posts_with_author_and_comments_costs_a_fixed_number_of_queries(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var authors = new List<string>();
        for (var i = 0; i < 5; i++) authors.Add((await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "a" + i }, ct)).Body!["id"]!.GetValue<string>());
        var requests = new JsonArray();
        for (var i = 0; i < 100; i++)
        {
            var (_, post) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "p" + i, author = authors[i % 5] }, ct);
            await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "c" + i, post = post!["id"]!.GetValue<string>() }, ct);
        }
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        const string query = "{ postsList(perPage: 100) { totalItems items { title author { name posts_via_author { id } } comments_via_post { message } } } }";
        await DataAsync(app.Client, query, ct: ct); // warm up (auth, schema)
        var before = project.Database.CommandCount;
        var data = await DataAsync(app.Client, query, ct: ct);
        var queries = project.Database.CommandCount - before;
        Assert.Equal(100, data["postsList"]!["items"]!.AsArray().Count);
        Assert.All(data["postsList"]!["items"]!.AsArray(), p => Assert.Single(p!["comments_via_post"]!.AsArray()));
        // count + page + author + comments + the authors' posts: 5 statements, whatever the page size (N+1 would be
        // over 200). PostgreSQL can add the statement_timeout set/reset around a read of a pooled, unreset connection.
        Assert.True(queries <= 8, $"{queries} queries");
    }

    [Theory]
    [DatabaseMatrix]
    public async Task The_schema_follows_collection_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        Assert.Equal(400, (await ErrorAsync(app.Client, "{ postsList { items { subtitle } } }", ct: ct)).Status);
        var posts = await GetJsonAsync(su, "/api/collections/posts", ct);
        var fields = posts["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = "subtitle", ["type"] = "text" });
        var (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/collections/posts", new JsonObject { ["fields"] = fields.DeepClone() }, ct);
        Assert.Equal(200, status);
        await DataAsync(app.Client, "mutation { createPosts(data: { title: \"t\", subtitle: \"s\" }) { id } }", ct: ct);
        Assert.Equal("s", (await DataAsync(app.Client, "{ postsList { items { subtitle } } }", ct: ct))["postsList"]!["items"]![0]!["subtitle"]!.GetValue<string>());
        // Locking the list rule takes the field out of a guest's schema.
        await SendAsync(su, HttpMethod.Patch, "/api/collections/posts", new JsonObject { ["listRule"] = null }, ct);
        Assert.Equal(400, (await ErrorAsync(app.Client, "{ postsList { totalItems } }", ct: ct)).Status);
        // The same works under /p/<project>.
        Assert.Equal(1, (await DataAsync(su, "{ postsList { totalItems } }", ct: ct))["postsList"]!["totalItems"]!.GetValue<int>());
        var (pstatus, pbody) = await PostAsync(su, "{ postsList { totalItems } }", path: "/p/main/api/graphql", ct: ct);
        Assert.True(pstatus == 200, pbody.ToJsonString());
    }
}
