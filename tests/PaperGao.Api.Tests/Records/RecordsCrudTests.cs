using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

public sealed class RecordsCrudTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Create_view_update_delete_round_trip(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var (status, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "Jane", secret = "s" }, ct);
        Assert.Equal(200, status);
        var authorId = author!["id"]!.GetValue<string>();
        Assert.Matches("^[a-z0-9]{15}$", authorId);

        (status, var post) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records?expand=author",
            new { title = "Hello", views = 3, tags = new[] { "a", "b" }, author = authorId, data = new { x = 1 } }, ct);
        Assert.Equal(200, status);
        Assert.Equal("posts", post!["collectionName"]!.GetValue<string>());
        Assert.Equal(3, post["views"]!.GetValue<double>());
        Assert.Equal("Jane", post["expand"]!["author"]!["name"]!.GetValue<string>());
        Assert.Null(post["expand"]!["author"]!["secret"]); // hidden for guests
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$", post["created"]!.GetValue<string>());
        var id = post["id"]!.GetValue<string>();

        (status, post) = await SendAsync(app.Client, HttpMethod.Patch, $"/api/collections/posts/records/{id}",
            new Dictionary<string, object> { ["views+"] = 2, ["tags-"] = "a", ["tags+"] = "c" }, ct);
        Assert.Equal(200, status);
        Assert.Equal(5, post!["views"]!.GetValue<double>());
        Assert.Equal(["b", "c"], post["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        (status, var viewed) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{id}?fields=id,title", null, ct);
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["id"] = id, ["title"] = "Hello" }, viewed), viewed!.ToJsonString());

        (status, _) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/comments/records", new { message = "hi", post = id }, ct);
        Assert.Equal(403, status); // comments has no create rule: superusers only
        (status, var comment) = await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "hi", post = id }, ct);
        Assert.Equal(200, status);

        (status, _) = await SendAsync(app.Client, HttpMethod.Delete, $"/api/collections/posts/records/{id}", null, ct);
        Assert.Equal(204, status);
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(su, HttpMethod.Get, $"/api/collections/comments/records/{comment!["id"]!.GetValue<string>()}", null, ct);
        Assert.Equal(404, status); // cascaded
    }

    [Theory]
    [DatabaseMatrix]
    public async Task List_filters_sorts_pages_and_skips_total(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        for (var i = 1; i <= 12; i++)
        {
            var (s, _) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records",
                new { title = $"post {i:00}", views = i, active = i % 2 == 0, tags = i % 3 == 0 ? new[] { "a" } : new[] { "b" } }, ct);
            Assert.Equal(200, s);
        }

        var list = await GetJsonAsync(app.Client, "/api/collections/posts/records?filter=" + Uri.EscapeDataString("views > 4 && active = true") + "&sort=-views&perPage=2", ct);
        Assert.Equal(4, list["totalItems"]!.GetValue<int>());
        Assert.Equal(2, list["totalPages"]!.GetValue<int>());
        Assert.Equal([12d, 10d], list["items"]!.AsArray().Select(x => x!["views"]!.GetValue<double>()));

        list = await GetJsonAsync(app.Client, "/api/collections/posts/records?filter=" + Uri.EscapeDataString("tags:each ?= \"a\"") + "&sort=views&skipTotal=1", ct);
        Assert.Equal(-1, list["totalItems"]!.GetValue<int>());
        Assert.Equal([3d, 6d, 9d, 12d], list["items"]!.AsArray().Select(x => x!["views"]!.GetValue<double>()));

        list = await GetJsonAsync(app.Client, "/api/collections/posts/records?filter=" + Uri.EscapeDataString("title ~ \"post 1\"") + "&perPage=5000", ct);
        Assert.Equal(1000, list["perPage"]!.GetValue<int>());
        Assert.Equal(3, list["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_input_gets_clear_errors_and_writes_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "x", views = "abc" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_not_a_number", body!["data"]!["views"]!["code"]!.GetValue<string>());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { views = 1 }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_required", body!["data"]!["title"]!["code"]!.GetValue<string>());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "x", tags = new[] { "zzz" } }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(body!["data"]!["tags"]);

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "x", author = "missing00000000" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_missing_rel_records", body!["data"]!["author"]!["code"]!.GetValue<string>());

        using (var raw = new HttpRequestMessage(HttpMethod.Post, "/api/collections/posts/records") { Content = new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json") })
        using (var r = await app.Client.SendAsync(raw, ct))
        {
            Assert.Equal(400, (int)r.StatusCode);
            Assert.Equal(400, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["status"]!.GetValue<int>());
        }

        using (var raw = new HttpRequestMessage(HttpMethod.Post, "/api/collections/posts/records") { Content = new StringContent("{\"title\":\"a\",\"__proto__\":{\"x\":1}}", System.Text.Encoding.UTF8, "application/json") })
        using (var r = await app.Client.SendAsync(raw, ct)) Assert.Equal(400, (int)r.StatusCode);

        using (var big = new HttpRequestMessage(HttpMethod.Post, "/api/collections/posts/records") { Content = new StringContent("{\"title\":\"" + new string('a', 33 * 1024 * 1024) + "\"}", System.Text.Encoding.UTF8, "application/json") })
        using (var r = await app.Client.SendAsync(big, ct)) Assert.Equal(413, (int)r.StatusCode);

        foreach (var filter in new[] { "title = 'x' && (", "1=1; DROP TABLE posts", "title = 'a' -- comment", "missing = 1", "secret = 'x'", "@collection.missing.id = 1" })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records?filter=" + Uri.EscapeDataString(filter), null, ct);
            Assert.True(status is 400 or 403, $"{filter} → {status}");
            Assert.Equal(status, body!["status"]!.GetValue<int>());
        }
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records?sort=" + Uri.EscapeDataString("nope"), null, ct);
        Assert.Equal(400, status);
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/nope/records", null, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/locked/records", null, ct);
        Assert.Equal(403, status);
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records?page=abc", null, ct);
        Assert.Equal(400, status);

        var list = await GetJsonAsync(su, "/api/collections/posts/records", ct);
        Assert.Equal(0, list["totalItems"]!.GetValue<int>()); // nothing was written
        var tables = await GetJsonAsync(su, "/api/collections/posts", ct);
        Assert.Equal("posts", tables["name"]!.GetValue<string>()); // the DROP TABLE never ran
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Parallel_creates_are_all_persisted(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = $"p{i}", views = i }, ct)));
        Assert.All(results, r => Assert.Equal(200, r.Status));
        var list = await GetJsonAsync(app.Client, "/api/collections/posts/records?perPage=1", ct);
        Assert.Equal(100, list["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Concurrent_updates_of_one_record_lose_no_increment_and_no_field(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var url = await CreateCounterAsync(su, ct);
        // Read-modify-write each: without the row lock on PostgreSQL two of them read the same value and one is lost, and
        // a write of another field puts back the count it read.
        const int n = 40;
        var patches = Enumerable.Range(0, n).Select(i => Task.Run(async () =>
            (await SendAsync(app.Client, HttpMethod.Patch, url, i % 10 == 0 ? new JsonObject { ["note"] = "n" + i } : new JsonObject { ["hits+"] = 1 }, ct)).Status, ct));
        Assert.All(await Task.WhenAll(patches), status => Assert.Equal(200, status));
        var final = await GetJsonAsync(su, url, ct);
        Assert.Equal(n - n / 10, final["hits"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Duplicate_id_is_reported_on_id_not_on_another_unique_field(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "slugs", ["type"] = "base", ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "slug", ["type"] = "text" }, new JsonObject { ["name"] = "code", ["type"] = "text" }),
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_slugs_slug ON slugs (slug)", "CREATE UNIQUE INDEX idx_slugs_code ON slugs (code COLLATE NOCASE)"),
        }, ct);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/slugs/records", new { id = "dupid0000000001", slug = "a", code = "A" }, ct)).Status);

        async Task ExpectNotUniqueAsync(string collection, object record, string field)
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/{collection}/records", record, ct);
            Assert.Equal(400, status);
            var data = body!["data"]!.AsObject();
            Assert.Equal([field], data.Select(kv => kv.Key));
            Assert.Equal("validation_not_unique", data[field]!["code"]!.GetValue<string>());
        }

        await ExpectNotUniqueAsync("slugs", new { id = "dupid0000000001", slug = "b", code = "B" }, "id");
        await ExpectNotUniqueAsync("slugs", new { id = "dupid0000000002", slug = "a", code = "B" }, "slug");
        await ExpectNotUniqueAsync("slugs", new { id = "dupid0000000002", slug = "b", code = "a" }, "code"); // the NOCASE index

        // A renamed collection keeps its table's primary-key constraint under the old name: still reported on id.
        var (renamed, _) = await SendAsync(su, HttpMethod.Patch, "/api/collections/slugs", new { name = "handles" }, ct);
        Assert.Equal(200, renamed);
        await ExpectNotUniqueAsync("handles", new { id = "dupid0000000001", slug = "c", code = "C" }, "id");
        await ExpectNotUniqueAsync("handles", new { id = "dupid0000000003", slug = "a", code = "C" }, "slug");
        var list = await GetJsonAsync(su, "/api/collections/handles/records", ct);
        Assert.Equal(1, list["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Batch_is_all_or_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var batch = new { requests = new object[]
        {
            new { method = "POST", url = "/api/collections/posts/records", body = new { title = "one" } },
            new { method = "POST", url = "/api/collections/posts/records", body = new { title = "" } },
        } };
        var (status, _) = await SendAsync(su, HttpMethod.Post, "/api/batch", batch, ct);
        Assert.Equal(403, status); // disabled by default

        (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { batch = new { enabled = true, maxRequests = 10 } }, ct);
        Assert.Equal(200, status);
        (status, var body) = await SendAsync(su, HttpMethod.Post, "/api/batch", batch, ct);
        Assert.Equal(400, status);
        Assert.Equal("batch_request_failed", body!["data"]!["requests"]!["1"]!["code"]!.GetValue<string>());
        Assert.Equal(0, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        var ok = new { requests = new object[]
        {
            new { method = "POST", url = "/api/collections/posts/records", body = new { id = "aaaaaaaaaaaaaaa", title = "one" } },
            new { method = "PUT", url = "/api/collections/posts/records", body = new { id = "aaaaaaaaaaaaaaa", title = "two" } },
            new { method = "POST", url = "/api/collections/posts/records?fields=title", body = new { title = "three" } },
        } };
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/batch", ok, ct);
        Assert.Equal(200, status);
        Assert.Equal("two", body![1]!["body"]!["title"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["title"] = "three" }, body[2]!["body"]));
        Assert.Equal(2, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());
    }

    /// <summary>
    /// PostgreSQL reads the record of an update without a lock and writes it only if its row is still the version it
    /// read. Here another transaction writes the row after that read (hits+10, held uncommitted until the update waits on
    /// it): the update must not write back what it read (hits 1 would be a lost update) but run again on the result.
    /// </summary>
    [Fact]
    public async Task An_update_whose_row_another_transaction_wrote_since_it_was_read_is_applied_on_that_result()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var url = await CreateCounterAsync(su, ct);
        var errors = 0;
        var saved = 0;
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        project.Hooks.AfterUpdateError.Bind(async (_, next) => { Interlocked.Increment(ref errors); await next(); });
        project.Hooks.AfterUpdate.Bind(async (_, next) => { Interlocked.Increment(ref saved); await next(); });

        var (status, body) = await PatchBehindOpenWriteAsync(app, url, "UPDATE counters SET hits = hits + 10 WHERE id = $1",
            new JsonObject { ["hits+"] = 1, ["note"] = "patched" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(11, body!["hits"]!.GetValue<int>());
        var final = await GetJsonAsync(su, url, ct);
        Assert.Equal(11, final["hits"]!.GetValue<int>());
        Assert.Equal("patched", final["note"]!.GetValue<string>());
        Assert.Equal(0, errors); // the first try's rollback is not the update's failure
        await Eventually.UntilAsync(() => saved == 1, ct, "the after-update hook");
    }

    [Fact]
    public async Task An_update_of_a_record_deleted_since_it_was_read_answers_404_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var url = await CreateCounterAsync(su, ct);

        var (status, body) = await PatchBehindOpenWriteAsync(app, url, "DELETE FROM counters WHERE id = $1", new JsonObject { ["hits+"] = 1 }, ct);
        Assert.True(status == 404, body?.ToJsonString());
        Assert.Equal(404, (await SendAsync(su, HttpMethod.Get, url, null, ct)).Status);
        Assert.Equal(0, (await GetJsonAsync(su, "/api/collections/counters/records", ct))["totalItems"]!.GetValue<int>());
    }

    /// <summary>
    /// The version check of an update fails as a division by zero: a division by zero of the write itself (here a
    /// trigger's) is the write's error, answered as a query error (400), never taken for a changed row (a 500 before).
    /// </summary>
    [Fact]
    public async Task A_division_by_zero_of_the_write_itself_is_its_error_and_not_a_changed_row()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var url = await CreateCounterAsync(su, ct);
        await using (var conn = new NpgsqlConnection(InProjectSchema(app)))
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(
                "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.note = 'boom' THEN PERFORM 1 / 0; END IF; RETURN NEW; END $$; " +
                "CREATE TRIGGER boom BEFORE INSERT OR UPDATE ON counters FOR EACH ROW EXECUTE FUNCTION boom()", conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        var (status, body) = await SendAsync(app.Client, HttpMethod.Patch, url, new JsonObject { ["hits+"] = 1, ["note"] = "boom" }, ct);
        Assert.True(status == 400, $"{status} {body?.ToJsonString()}");
        (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections/counters/records", new { note = "boom" }, ct);
        Assert.True(status == 400, $"{status} {body?.ToJsonString()}");
        var list = await GetJsonAsync(su, "/api/collections/counters/records", ct);
        Assert.Equal(1, list["totalItems"]!.GetValue<int>());
        Assert.Equal(0, list["items"]![0]!["hits"]!.GetValue<int>());
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Patch, url, new JsonObject { ["hits+"] = 1 }, ct)).Status);
    }

    /// <summary>A "counters" collection anyone may update (hits, note) and one record in it; its URL.</summary>
    private static async Task<string> CreateCounterAsync(HttpClient su, CancellationToken ct)
    {
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "counters", ["type"] = "base", ["updateRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "hits", ["type"] = "number" }, new JsonObject { ["name"] = "note", ["type"] = "text" }),
        }, ct);
        var (created, rec) = await SendAsync(su, HttpMethod.Post, "/api/collections/counters/records", new { hits = 0 }, ct);
        Assert.Equal(200, created);
        return "/api/collections/counters/records/" + rec!["id"]!.GetValue<string>();
    }

    /// <summary>
    /// Writes the record of <paramref name="url"/> in a transaction of another connection (<paramref name="sql"/>, the
    /// record's id as $1), sends the PATCH while that transaction is open, commits it once the update waits on the row,
    /// and returns the PATCH's answer: the update read the record before the other write was committed.
    /// </summary>
    private static async Task<(int Status, JsonNode? Body)> PatchBehindOpenWriteAsync(PaperGaoApp app, string url, string sql, JsonObject patch, CancellationToken ct)
    {
        await using var other = new NpgsqlConnection(InProjectSchema(app));
        await other.OpenAsync(ct);
        await using var tx = await other.BeginTransactionAsync(ct);
        await using (var write = new NpgsqlCommand(sql, other, tx))
        {
            write.Parameters.AddWithValue(url[(url.LastIndexOf('/') + 1)..]);
            Assert.Equal(1, await write.ExecuteNonQueryAsync(ct));
        }
        var answer = SendAsync(app.Client, HttpMethod.Patch, url, patch, ct);
        await UpdateWaitsForRowLockAsync(app.Settings.Db!, ct);
        await tx.CommitAsync(ct);
        return await answer;
    }

    /// <summary>The test database's connection string with the default project's schema as its search path.</summary>
    private static string InProjectSchema(PaperGaoApp app) =>
        new NpgsqlConnectionStringBuilder(app.Settings.Db!) { SearchPath = PaperGao.Core.Data.Postgres.PostgresDatabaseProvider.SchemaOf(ProjectNames.Default) }.ConnectionString;

    /// <summary>Waits until a statement of the server waits on a row lock (the update, behind the test's open transaction).</summary>
    private static Task UpdateWaitsForRowLockAsync(string connectionString, CancellationToken ct) =>
        Eventually.UntilAsync(async () =>
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%UPDATE%counters%'", conn);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }, ct, "the update to wait on the row lock");
}
