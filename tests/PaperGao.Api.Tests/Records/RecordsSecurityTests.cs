using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

/// <summary>security.md items 16-23 for the records API.</summary>
public sealed class RecordsSecurityTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task New_collection_without_rules_denies_guests(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, rec) = await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "x" }, ct);
        Assert.Equal(200, status);
        var id = rec!["id"]!.GetValue<string>();
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/locked/records", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/locked/records/{id}", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/locked/records", new { title = "y" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Patch, $"/api/collections/locked/records/{id}", new { title = "y" }, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Delete, $"/api/collections/locked/records/{id}", null, ct)).Status);
        // An invalid token is a guest, not an error.
        using var bad = app.CreateClient();
        bad.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer not.a.token");
        Assert.Equal(403, (await SendAsync(bad, HttpMethod.Get, "/api/collections/locked/records", null, ct)).Status);
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/locked/records", ct))["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Hidden_fields_cannot_be_filtered_sorted_or_read_by_guests(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "A", secret = "s3cr3t" }, ct);
        var authorId = author!["id"]!.GetValue<string>();
        await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "p", author = authorId }, ct);

        foreach (var filter in new[] { "secret = 's3cr3t'", "secret ~ 's'", "author.secret = 's3cr3t'", "secret:lower = 's3cr3t'" })
        {
            var coll = filter.StartsWith("author", StringComparison.Ordinal) ? "posts" : "authors";
            var (status, _) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/{coll}/records?filter=" + Uri.EscapeDataString(filter), null, ct);
            Assert.Equal(400, status);
        }
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/authors/records?sort=secret", null, ct)).Status);
        Assert.Equal(403, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records?filter=" + Uri.EscapeDataString("@request.auth.id = ''"), null, ct)).Status);

        var list = await GetJsonAsync(app.Client, "/api/collections/authors/records", ct);
        Assert.Null(list["items"]![0]!["secret"]);
        var asSu = await GetJsonAsync(su, "/api/collections/authors/records?filter=" + Uri.EscapeDataString("secret = 's3cr3t'"), ct);
        Assert.Equal("s3cr3t", asSu["items"]![0]!["secret"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Filter_through_a_relation_into_a_locked_collection_is_no_oracle(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var lockedId = (await GetJsonAsync(su, "/api/collections/locked", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "refs", ["type"] = "base", ["listRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "target", ["type"] = "relation", ["collectionId"] = lockedId, ["maxSelect"] = 1 }),
        }, ct);
        var (_, locked) = await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "top secret" }, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/refs/records", new { target = locked!["id"]!.GetValue<string>() }, ct);

        foreach (var filter in new[] { "target.title = 'top secret'", "target.title != 'top secret'" })
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/refs/records?filter=" + Uri.EscapeDataString(filter), null, ct);
            // Either refused or empty: both answers are the same whatever the hidden value is.
            Assert.True(status == 400 || (status == 200 && body!["totalItems"]!.GetValue<int>() == 0), $"{filter}: {status} {body}");
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Hostile_json_and_filters_are_refused_cleanly(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        string[] bodies =
        [
            """{"title":"a","views":1e400}""",
            """{"title":"a","views":NaN}""",
            """{"title":"a","title":"b"}""",
            """{"title":"a","data":{"$where":"1"}}""",
            """{"title":"a","data":[{"x":{"constructor":{"prototype":{}}}}]}""",
            """{"title":"a","$type":"System.IO.FileInfo"}""",
            "{\"title\":\"a\",\"data\":" + new string('[', 200) + new string(']', 200) + "}",
            """{"title":["a"]}""",
            """{"title":"a","active":"yes"}""",
            """{"title":"a","views":{"x":1}}""",
            "{\"title\":\"a\\u0000b\"}",
        ];
        foreach (var json in bodies)
        {
            using var req = new HttpRequestMessage(HttpMethod.Post, "/api/collections/posts/records") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            using var r = await app.Client.SendAsync(req, ct);
            var text = await r.Content.ReadAsStringAsync(ct);
            Assert.True((int)r.StatusCode == 400, $"{json[..Math.Min(60, json.Length)]} → {(int)r.StatusCode} {text}");
            Assert.Equal(400, JsonNode.Parse(text)!["status"]!.GetValue<int>());
        }

        string[] filters =
        [
            new string('(', 300) + "title = 'a'" + new string(')', 300),
            "title ~ '" + new string('%', 5000) + "'",
            string.Join(" || ", Enumerable.Repeat("title = 'a'", 250)),
            "title = 'a\u0000'",
            "title ＝ 'a'",
            "title = 'a' /* x */",
            "title = \"unterminated",
            "strftime('%Q', created) = '1'",
        ];
        foreach (var f in filters)
        {
            var (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records?filter=" + Uri.EscapeDataString(f), null, ct);
            Assert.True(status is 400 or 200, $"{f[..Math.Min(40, f.Length)]} → {status}");
        }
        Assert.Equal(0, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Expand_is_bounded_and_follows_view_rules(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "A" }, ct);
        var (_, post) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "p", author = author!["id"]!.GetValue<string>() }, ct);
        var postId = post!["id"]!.GetValue<string>();
        await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "c1", post = postId }, ct);
        await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "c2", post = postId }, ct);

        var viewed = await GetJsonAsync(app.Client, $"/api/collections/posts/records/{postId}?expand=author,comments_via_post.post.author", ct);
        Assert.Equal("A", viewed["expand"]!["author"]!["name"]!.GetValue<string>());
        var comments = viewed["expand"]!["comments_via_post"]!.AsArray();
        Assert.Equal(2, comments.Count);
        Assert.Equal("A", comments[0]!["expand"]!["post"]!["expand"]!["author"]!["name"]!.GetValue<string>());

        // Invalid paths are ignored, never an error; over-deep paths are cut at 6 levels.
        var deep = string.Join('.', Enumerable.Repeat("author", 50));
        var (status, _) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{postId}?expand=nope,{deep},{string.Join(',', Enumerable.Repeat("author", 500))}", null, ct);
        Assert.Equal(200, status);

        // A relation into a collection the guest cannot view is not expanded.
        var lockedId = (await GetJsonAsync(su, "/api/collections/locked", ct))["id"]!.GetValue<string>();
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "pointers", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "target", ["type"] = "relation", ["collectionId"] = lockedId, ["maxSelect"] = 1 }),
        }, ct);
        var (_, locked) = await SendAsync(su, HttpMethod.Post, "/api/collections/locked/records", new { title = "hidden" }, ct);
        var (_, pointer) = await SendAsync(su, HttpMethod.Post, "/api/collections/pointers/records", new { target = locked!["id"]!.GetValue<string>() }, ct);
        var p = await GetJsonAsync(app.Client, $"/api/collections/pointers/records/{pointer!["id"]!.GetValue<string>()}?expand=target", ct);
        Assert.Null(p["expand"]!["target"]);
    }
}
