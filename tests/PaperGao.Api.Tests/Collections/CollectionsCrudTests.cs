using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Collections;

public sealed class CollectionsCrudTests(PostgresCluster postgres)
{
    private static JsonArray AllFieldTypes() =>
    [
        Field("title", "text", new() { ["min"] = 1, ["max"] = 100, ["pattern"] = "^[A-Za-z ]+$", ["required"] = true }),
        Field("body", "editor", new() { ["maxSize"] = 1000, ["convertURLs"] = true }),
        Field("price", "number", new() { ["min"] = 0, ["max"] = 1000, ["onlyInt"] = false }),
        Field("active", "bool"),
        Field("contact", "email", new() { ["onlyDomains"] = new JsonArray("example.com") }),
        Field("site", "url", new() { ["exceptDomains"] = new JsonArray("evil.test") }),
        Field("due", "date", new() { ["min"] = "2000-01-01 00:00:00.000Z", ["max"] = "" }),
        Field("status", "select", new() { ["values"] = new JsonArray("draft", "live"), ["maxSelect"] = 1 }),
        Field("tags", "select", new() { ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 3 }),
        Field("attachment", "file", new() { ["maxSelect"] = 2, ["maxSize"] = 1024, ["mimeTypes"] = new JsonArray("image/png"), ["thumbs"] = new JsonArray("100x100") }),
        Field("data", "json", new() { ["maxSize"] = 2000 }),
        Field("where", "geoPoint"),
        Field("secret", "password", new() { ["min"] = 8 }),
        Field("created", "autodate", new() { ["onCreate"] = true }),
        Field("updated", "autodate", new() { ["onCreate"] = true, ["onUpdate"] = true }),
    ];

    [Theory]
    [DatabaseMatrix]
    public async Task Creates_base_auth_and_view_collections_and_lists_them(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        var products = await CreateAsync(su, new JsonObject { ["name"] = "products", ["type"] = "base", ["listRule"] = "", ["fields"] = AllFieldTypes() }, ct);
        Assert.Matches("^pbc_[0-9]+$", products["id"]!.GetValue<string>());
        Assert.Equal("id", products["fields"]![0]!["name"]!.GetValue<string>());
        Assert.True(products["fields"]![0]!["primaryKey"]!.GetValue<bool>());
        var tags = FieldByName(products["fields"]!.AsArray(), "tags");
        Assert.Equal(3, tags["maxSelect"]!.GetValue<int>());
        Assert.StartsWith("select", tags["id"]!.GetValue<string>());
        Assert.Null(products["createRule"]); // default locked
        Assert.NotEqual("", products["created"]!.GetValue<string>());

        var rec = await CreateRecordAsync(su, "products", new JsonObject
        {
            ["title"] = "Chair", ["price"] = 12.5, ["active"] = true, ["contact"] = "a@example.com", ["status"] = "live",
            ["tags"] = new JsonArray("a", "b"), ["data"] = new JsonObject { ["x"] = 1 }, ["where"] = new JsonObject { ["lon"] = 1, ["lat"] = 2 },
        }, ct);
        Assert.Equal(12.5, rec["price"]!.GetValue<double>());
        Assert.Equal(2, rec["tags"]!.AsArray().Count);

        // Auth collection without fields: gets the system fields and unique indexes anyway.
        var members = await CreateAsync(su, new JsonObject { ["name"] = "members", ["type"] = "auth", ["fields"] = new JsonArray(Field("nick", "text")) }, ct);
        var names = members["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        foreach (var n in new[] { "id", "password", "tokenKey", "email", "emailVisibility", "verified", "nick" }) Assert.Contains(n, names);
        Assert.Contains(members["indexes"]!.AsArray(), i => i!.GetValue<string>().Contains("`tokenKey`", StringComparison.Ordinal));
        Assert.Null(members["authToken"]!["secret"]);
        Assert.Equal("", members["authRule"]!.GetValue<string>());
        var (st, member) = await PostAsync(su, "/api/collections/members/records",
            new JsonObject { ["email"] = "m@example.com", ["password"] = "12345678", ["passwordConfirm"] = "12345678", ["nick"] = "mm" }, ct);
        Assert.True(st == 200, member?.ToJsonString());

        // View over the base collection: fields inferred, known columns keep their type.
        var view = await CreateAsync(su, new JsonObject
        {
            ["name"] = "cheap", ["type"] = "view", ["listRule"] = "",
            ["viewQuery"] = "SELECT id, title, price AS cost, tags, (price * 2) AS doubled FROM products WHERE price < 100;",
        }, ct);
        var vf = view["fields"]!.AsArray();
        Assert.Equal(["id", "title", "cost", "tags", "doubled"], vf.Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("text", FieldByName(vf, "title")["type"]!.GetValue<string>());
        Assert.Equal("number", FieldByName(vf, "cost")["type"]!.GetValue<string>());
        Assert.Equal("select", FieldByName(vf, "tags")["type"]!.GetValue<string>());
        Assert.Equal("number", FieldByName(vf, "doubled")["type"]!.GetValue<string>());
        Assert.Equal("SELECT id, title, price AS cost, tags, (price * 2) AS doubled FROM products WHERE price < 100", view["viewQuery"]!.GetValue<string>());
        var (status, list) = await GetAsync(app.Client, "/api/collections/cheap/records", ct);
        Assert.Equal(200, status);
        var row = list!["items"]![0]!;
        Assert.Equal("Chair", row["title"]!.GetValue<string>());
        Assert.Equal(12.5, row["cost"]!.GetValue<double>());
        Assert.Equal(25, row["doubled"]!.GetValue<double>());
        Assert.Equal(2, row["tags"]!.AsArray().Count);
        (status, _) = await PostAsync(su, "/api/collections/cheap/records", new JsonObject { ["title"] = "x" }, ct);
        Assert.Equal(400, status);

        // List with filter/sort/paging.
        (status, list) = await GetAsync(su, "/api/collections?filter=" + Uri.EscapeDataString("type = 'view' || name = 'products'") + "&sort=-name", ct);
        Assert.Equal(200, status);
        Assert.Equal(["products", "cheap"], list!["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(2, list["totalItems"]!.GetValue<int>());
        (status, list) = await GetAsync(su, "/api/collections?perPage=2&page=1&skipTotal=1&sort=created", ct);
        Assert.Equal(200, status);
        Assert.Equal(2, list!["items"]!.AsArray().Count);
        Assert.Equal(-1, list["totalItems"]!.GetValue<int>());
        (status, list) = await GetAsync(su, "/api/collections?filter=" + Uri.EscapeDataString("system = true"), ct);
        Assert.Equal(200, status);
        Assert.Equal(["_authOrigins", "_externalAuths", "_mfas", "_otps", "_superusers"], list!["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        (status, _) = await GetAsync(su, "/api/collections?filter=" + Uri.EscapeDataString("nope = 1"), ct);
        Assert.Equal(400, status);

        // View one by id and by name; secrets never serialized.
        (status, var one) = await GetAsync(su, "/api/collections/" + members["id"]!.GetValue<string>(), ct);
        Assert.Equal(200, status);
        Assert.Equal("members", one!["name"]!.GetValue<string>());
        Assert.DoesNotContain("secret", one.ToJsonString(), StringComparison.Ordinal);

        (status, var scaffolds) = await GetAsync(su, "/api/collections/meta/scaffolds", ct);
        Assert.Equal(200, status);
        Assert.Equal("", scaffolds!["auth"]!["name"]!.GetValue<string>());
        Assert.Equal("base", scaffolds["base"]!["type"]!.GetValue<string>());
        Assert.Equal("view", scaffolds["view"]!["type"]!.GetValue<string>());
        (status, var providers) = await GetAsync(su, "/api/collections/meta/oauth2-providers", ct);
        Assert.Equal(200, status);
        Assert.Contains(providers!.AsArray(), p => p!["name"]!.GetValue<string>() == "github" && p["displayName"]!.GetValue<string>() == "GitHub");
    }

    [Theory]
    [DatabaseMatrix]
    public async Task New_collections_are_locked_for_guests(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "vault", ["fields"] = new JsonArray(Field("v", "text")) }, ct);
        var rec = await CreateRecordAsync(su, "vault", new JsonObject { ["v"] = "x" }, ct);
        Assert.Equal(403, (await GetAsync(app.Client, "/api/collections/vault/records", ct)).Status);
        Assert.Equal(403, (await GetAsync(app.Client, $"/api/collections/vault/records/{rec["id"]}", ct)).Status);
        Assert.Equal(403, (await PostAsync(app.Client, "/api/collections/vault/records", new JsonObject { ["v"] = "y" }, ct)).Status);
        Assert.Equal(1, await CountRecordsAsync(su, "vault", ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Fields_added_renamed_and_removed_keep_the_data(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var c = await CreateAsync(su, new JsonObject
        {
            ["name"] = "notes",
            ["fields"] = new JsonArray(Field("title", "text"), Field("count", "number"), Field("flag", "bool")),
            ["indexes"] = new JsonArray("CREATE INDEX idx_notes_title ON notes (title)"),
        }, ct);
        var r1 = await CreateRecordAsync(su, "notes", new JsonObject { ["title"] = "one", ["count"] = 1, ["flag"] = true }, ct);
        var r2 = await CreateRecordAsync(su, "notes", new JsonObject { ["title"] = "two", ["count"] = 2 }, ct);

        var fields = Fields(c);
        FieldByName(fields, "title")["name"] = "headline";
        fields.Remove(FieldByName(fields, "count"));
        fields.Add(Field("note", "text"));
        fields.Add(Field("score", "number"));
        var (status, updated) = await PatchAsync(su, "/api/collections/notes", new JsonObject
        {
            ["name"] = "memos",
            ["fields"] = fields,
            ["indexes"] = new JsonArray("CREATE INDEX idx_notes_title ON notes (headline)"),
        }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        Assert.Equal(c["id"]!.GetValue<string>(), updated!["id"]!.GetValue<string>());
        Assert.Equal("CREATE INDEX `idx_notes_title` ON `memos` (`headline`)", updated["indexes"]![0]!.GetValue<string>());
        Assert.Equal(FieldByName(Fields(c), "title")["id"]!.GetValue<string>(), FieldByName(updated["fields"]!.AsArray(), "headline")["id"]!.GetValue<string>());

        Assert.Equal(404, (await GetAsync(su, "/api/collections/notes/records", ct)).Status);
        var got = await GetRecordAsync(su, "memos", r1["id"]!.GetValue<string>(), ct);
        Assert.Equal("one", got["headline"]!.GetValue<string>());
        Assert.True(got["flag"]!.GetValue<bool>());
        Assert.Equal("", got["note"]!.GetValue<string>());
        Assert.Equal(0, got["score"]!.GetValue<double>());
        Assert.Null(got["count"]);
        Assert.Null(got["title"]);
        Assert.Equal("two", (await GetRecordAsync(su, "memos", r2["id"]!.GetValue<string>(), ct))["headline"]!.GetValue<string>());

        // Swapping two names keeps each column's data with its field id.
        fields = Fields(updated);
        FieldByName(fields, "headline")["name"] = "tmp_swap";
        FieldByName(fields, "note")["name"] = "headline";
        FieldByName(fields, "tmp_swap")["name"] = "note";
        (status, updated) = await PatchAsync(su, "/api/collections/memos", new JsonObject { ["fields"] = fields, ["indexes"] = new JsonArray() }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        got = await GetRecordAsync(su, "memos", r1["id"]!.GetValue<string>(), ct);
        Assert.Equal("one", got["note"]!.GetValue<string>());
        Assert.Equal("", got["headline"]!.GetValue<string>());

        // New records work against the altered table.
        var r3 = await CreateRecordAsync(su, "memos", new JsonObject { ["note"] = "three", ["score"] = 3 }, ct);
        Assert.Equal(3, r3["score"]!.GetValue<double>());
        Assert.Equal(3, await CountRecordsAsync(su, "memos", ct));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Kind_changes_convert_data_and_lossy_changes_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var c = await CreateAsync(su, new JsonObject
        {
            ["name"] = "items",
            ["fields"] = new JsonArray(
                Field("kind", "select", new() { ["values"] = new JsonArray("a", "b", "c"), ["maxSelect"] = 1 }),
                Field("qty", "number"),
                Field("code", "text"),
                Field("labels", "select", new() { ["values"] = new JsonArray("x", "y", "z"), ["maxSelect"] = 3 })),
            ["indexes"] = new JsonArray("CREATE INDEX idx_items_code ON items (code)"),
        }, ct);
        var r1 = await CreateRecordAsync(su, "items", new JsonObject { ["kind"] = "b", ["qty"] = 7, ["code"] = "12", ["labels"] = new JsonArray("x", "y", "z") }, ct);
        var r2 = await CreateRecordAsync(su, "items", new JsonObject { ["kind"] = "", ["qty"] = 0, ["code"] = "" }, ct);

        // select single → multi wraps the value; number → text; text (numeric) → number.
        var fields = Fields(c);
        FieldByName(fields, "kind")["maxSelect"] = 2;
        var qty = FieldByName(fields, "qty");
        fields[fields.IndexOf(qty)] = new JsonObject { ["id"] = qty["id"]!.GetValue<string>(), ["name"] = "qty", ["type"] = "text" };
        var code = FieldByName(fields, "code");
        fields[fields.IndexOf(code)] = new JsonObject { ["id"] = code["id"]!.GetValue<string>(), ["name"] = "code", ["type"] = "number" };
        var (status, updated) = await PatchAsync(su, "/api/collections/items", new JsonObject { ["fields"] = fields }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        var got = await GetRecordAsync(su, "items", r1["id"]!.GetValue<string>(), ct);
        Assert.Equal(["b"], got["kind"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("7", got["qty"]!.GetValue<string>());
        Assert.Equal(12, got["code"]!.GetValue<double>());
        got = await GetRecordAsync(su, "items", r2["id"]!.GetValue<string>(), ct);
        Assert.Empty(got["kind"]!.AsArray());
        Assert.Equal(0, got["code"]!.GetValue<double>());
        // The index survived (or was recreated).
        Assert.Single(updated!["indexes"]!.AsArray());

        // Lowering maxSelect below what rows hold is refused, naming the field and the row count.
        fields = Fields(updated);
        FieldByName(fields, "labels")["maxSelect"] = 2;
        (status, var error) = await PatchAsync(su, "/api/collections/items", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);
        Assert.Equal("Failed to update collection.", error!["message"]!.GetValue<string>());
        var labelsIndex = fields.IndexOf(FieldByName(fields, "labels")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var conflict = error["data"]!["fields"]![labelsIndex]!["maxSelect"];
        Assert.Equal("validation_data_conflict", Code(conflict));
        Assert.Contains("\"labels\"", conflict!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("1 record(s)", conflict["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, conflict["params"]!["records"]!.GetValue<int>());

        // text → number with a non-numeric value is refused; nothing changes.
        await CreateRecordAsync(su, "items", new JsonObject { ["qty"] = "many" }, ct);
        fields = Fields(updated);
        qty = FieldByName(fields, "qty");
        fields[fields.IndexOf(qty)] = new JsonObject { ["id"] = qty["id"]!.GetValue<string>(), ["name"] = "qty", ["type"] = "number" };
        (status, error) = await PatchAsync(su, "/api/collections/items", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);
        Assert.Contains("1 record(s)", error!["data"]!["fields"]![fields.IndexOf(FieldByName(fields, "qty")).ToString(System.Globalization.CultureInfo.InvariantCulture)]!["type"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("7", (await GetRecordAsync(su, "items", r1["id"]!.GetValue<string>(), ct))["qty"]!.GetValue<string>());

        // multi → single keeps the last item.
        fields = Fields(updated);
        FieldByName(fields, "labels")["maxSelect"] = 1;
        (status, updated) = await PatchAsync(su, "/api/collections/items", new JsonObject { ["fields"] = fields }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        Assert.Equal("z", (await GetRecordAsync(su, "items", r1["id"]!.GetValue<string>(), ct))["labels"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Unique_index_refuses_duplicate_records_and_duplicate_data(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var c = await CreateAsync(su, new JsonObject
        {
            ["name"] = "pages",
            ["fields"] = new JsonArray(Field("slug", "text"), Field("lang", "text")),
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_pages_slug ON pages (slug)"),
        }, ct);
        await CreateRecordAsync(su, "pages", new JsonObject { ["slug"] = "home", ["lang"] = "en" }, ct);
        var (status, error) = await PostAsync(su, "/api/collections/pages/records", new JsonObject { ["slug"] = "home", ["lang"] = "de" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_not_unique", Code(error!["data"]!["slug"]));

        await CreateRecordAsync(su, "pages", new JsonObject { ["slug"] = "about", ["lang"] = "en" }, ct);
        (status, error) = await PatchAsync(su, "/api/collections/pages", new JsonObject
        {
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_pages_slug ON pages (slug)", "CREATE UNIQUE INDEX idx_pages_lang ON pages (lang)"),
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_index", Code(error!["data"]!["indexes"]!["1"]));
        (status, var same) = await GetAsync(su, "/api/collections/pages", ct);
        Assert.Single(same!["indexes"]!.AsArray());
        Assert.Equal(c["updated"]!.GetValue<string>(), same["updated"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Referenced_collection_cannot_be_deleted_and_truncate_cascades(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var posts = await CreateAsync(su, new JsonObject { ["name"] = "posts", ["fields"] = new JsonArray(Field("title", "text")) }, ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "comments",
            ["fields"] = new JsonArray(Field("text", "text"), Field("post", "relation", new() { ["collectionId"] = posts["id"]!.GetValue<string>(), ["maxSelect"] = 1, ["cascadeDelete"] = true })),
        }, ct);
        var p1 = await CreateRecordAsync(su, "posts", new JsonObject { ["title"] = "a" }, ct);
        var p2 = await CreateRecordAsync(su, "posts", new JsonObject { ["title"] = "b" }, ct);
        await CreateRecordAsync(su, "comments", new JsonObject { ["text"] = "c1", ["post"] = p1["id"]!.GetValue<string>() }, ct);
        await CreateRecordAsync(su, "comments", new JsonObject { ["text"] = "c2", ["post"] = p2["id"]!.GetValue<string>() }, ct);
        await CreateRecordAsync(su, "comments", new JsonObject { ["text"] = "c3" }, ct);

        var (status, error) = await DeleteAsync(su, "/api/collections/posts", ct);
        Assert.Equal(400, status);
        Assert.StartsWith("Failed to delete collection probably due to existing reference in comments", error!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        (status, _) = await DeleteAsync(su, "/api/collections/posts/truncate", ct);
        Assert.Equal(204, status);
        Assert.Equal(0, await CountRecordsAsync(su, "posts", ct));
        Assert.Equal(1, await CountRecordsAsync(su, "comments", ct)); // the cascade removed c1 and c2

        (status, _) = await DeleteAsync(su, "/api/collections/comments", ct);
        Assert.Equal(204, status);
        (status, _) = await DeleteAsync(su, "/api/collections/posts", ct);
        Assert.Equal(204, status);
        Assert.Equal(404, (await GetAsync(su, "/api/collections/posts", ct)).Status);
        // The name is free again (the table is gone).
        await CreateAsync(su, new JsonObject { ["name"] = "posts", ["fields"] = new JsonArray(Field("other", "number")) }, ct);

        (status, _) = await DeleteAsync(su, "/api/collections/_superusers", ct);
        Assert.Equal(400, status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Truncate_of_a_view_is_refused_and_views_follow_table_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var src = await CreateAsync(su, new JsonObject { ["name"] = "src", ["fields"] = new JsonArray(Field("a", "text"), Field("b", "number")) }, ct);
        await CreateRecordAsync(su, "src", new JsonObject { ["a"] = "x", ["b"] = 2 }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "src_view", ["type"] = "view", ["viewQuery"] = "SELECT id, a FROM src" }, ct);
        Assert.Equal(400, (await DeleteAsync(su, "/api/collections/src_view/truncate", ct)).Status);

        // Adding a column to the table keeps the view working.
        var fields = Fields(src);
        fields.Add(Field("c", "bool"));
        var (status, body) = await PatchAsync(su, "/api/collections/src", new JsonObject { ["fields"] = fields }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(1, await CountRecordsAsync(su, "src_view", ct));

        // Removing the column the view reads is refused, naming the view.
        fields = Fields(body!.AsObject());
        fields.Remove(FieldByName(fields, "a"));
        (status, body) = await PatchAsync(su, "/api/collections/src", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);
        Assert.Contains("src_view", body!["data"]!["viewQuery"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await CountRecordsAsync(su, "src_view", ct));

        // Deleting the table under a view is refused too; the view can be deleted first.
        Assert.Equal(400, (await DeleteAsync(su, "/api/collections/src", ct)).Status);
        Assert.Equal(204, (await DeleteAsync(su, "/api/collections/src_view", ct)).Status);
        Assert.Equal(204, (await DeleteAsync(su, "/api/collections/src", ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Dry_run_view_returns_fields_and_sample_without_side_effects(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "nums", ["fields"] = new JsonArray(Field("n", "number"), Field("label", "text")) }, ct);
        for (var i = 0; i < 12; i++) await CreateRecordAsync(su, "nums", new JsonObject { ["n"] = i, ["label"] = "l" + i }, ct);

        var (status, body) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = "SELECT id, n, label, n + 1 AS next FROM nums" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(["id", "n", "label", "next"], body!["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()));
        Assert.Equal("number", body["fields"]![3]!["type"]!.GetValue<string>());
        Assert.Equal(10, body["sample"]!.AsArray().Count);

        // As PocketBase: an empty query is a field error; what the query does wrong is a "Raw error" with no field data.
        (status, body) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = " " }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_view_query", Code(body!["data"]!["query"]));
        // Longer than PocketBase's 5000 characters (even if not a SELECT): a field error, as PocketBase.
        (status, body) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = new string('a', 5001) }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_length_out_of_range", Code(body!["data"]!["query"]));
        foreach (var bad in new[] { "SELECT n FROM nums", "(select 1 as id union select '' as id)", "(select 1 as id union all select 1 as id)", "CREATE TABLE t1(x INT)" })
        {
            (status, body) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = bad }, ct);
            Assert.Equal(400, status);
            Assert.Empty(body!["data"]!.AsObject());
            Assert.Contains("Raw error:", body["message"]!.GetValue<string>());
        }
        (status, body) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = "(select 1 as id union select 2 as id)" }, ct);
        Assert.Equal(200, status);
        Assert.Equal(2, body!["sample"]!.AsArray().Count);
        (status, _) = await PostAsync(su, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = "SELECT id FROM nums; DELETE FROM nums" }, ct);
        Assert.Equal(400, status);
        Assert.Equal(12, await CountRecordsAsync(su, "nums", ct));
        Assert.Equal(401, (await PostAsync(app.Client, "/api/collections/meta/dry-run-view", new JsonObject { ["query"] = "SELECT id FROM nums" }, ct)).Status);
    }
}
