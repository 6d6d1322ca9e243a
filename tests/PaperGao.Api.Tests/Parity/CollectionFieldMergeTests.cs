using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Parity;

/// <summary>
/// How submitted field lists are combined with the stored and default fields, as PocketBase does (collection_test.go,
/// collection_import_test.go): fields merged by id, auth fields placed and flagged, an omitted id field kept, a new
/// view's id field, and views that follow a renamed collection.
/// </summary>
public sealed class CollectionFieldMergeTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task New_auth_collections_put_submitted_fields_after_the_id_and_keep_auth_flags(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        // A submitted tokenKey keeps its own options but stays system, hidden and required.
        var created = await CreateAsync(su, new JsonObject
        {
            ["name"] = "members", ["type"] = "auth",
            ["fields"] = new JsonArray(Field("test", "text"), Field("tokenKey", "text", new JsonObject { ["system"] = true, ["required"] = false, ["min"] = 10 })),
        }, ct);
        var names = created["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "id", "test", "tokenKey", "password", "email", "emailVisibility", "verified" }, names.Take(7));
        var tokenKey = FieldByName(created["fields"]!.AsArray(), "tokenKey");
        Assert.Equal("text2504183744", tokenKey["id"]!.GetValue<string>());
        Assert.Equal(10, tokenKey["min"]!.GetValue<int>());
        Assert.True(tokenKey["required"]!.GetValue<bool>());
        Assert.True(tokenKey["hidden"]!.GetValue<bool>());
        Assert.True(tokenKey["system"]!.GetValue<bool>());
        // Records still get a token key (the sign-in works).
        await CreateRecordAsync(su, "members", new JsonObject { ["email"] = "m@example.test", ["password"] = "Member-pass-1", ["passwordConfirm"] = "Member-pass-1" }, ct);
        var (signIn, _) = await PostAsync(app.Client, "/api/collections/members/auth-with-password",
            new JsonObject { ["identity"] = "m@example.test", ["password"] = "Member-pass-1" }, ct);
        Assert.Equal(200, signIn);

        // Reserved names are reported at the index they were submitted at, after the id field.
        var (status, error) = await PostAsync(su, "/api/collections", new JsonObject
        {
            ["name"] = "other", ["type"] = "auth", ["fields"] = new JsonArray(Field("oldPassword", "text"), Field("passwordConfirm", "text")),
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_reserved_field_name", Code(error!["data"]!["fields"]!["1"]!["name"]));
        Assert.Equal("validation_reserved_field_name", Code(error["data"]!["fields"]!["2"]!["name"]));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Submitted_fields_merge_into_the_stored_field_with_their_id(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var posts = await CreateAsync(su, new JsonObject
        {
            ["name"] = "posts", ["fields"] = new JsonArray(Field("title", "text", new JsonObject { ["max"] = 20, ["required"] = true })),
        }, ct);
        var idField = FieldByName(posts["fields"]!.AsArray(), "id");
        var title = FieldByName(posts["fields"]!.AsArray(), "title");

        // Only type, name and id: the id field keeps primaryKey and its pattern, the renamed field its max and required.
        var (status, updated) = await PatchAsync(su, "/api/collections/posts", new JsonObject
        {
            ["fields"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["name"] = "id", ["id"] = idField["id"]!.DeepClone() },
                new JsonObject { ["type"] = "text", ["name"] = "headline", ["id"] = title["id"]!.DeepClone() }),
        }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        var id = FieldByName(updated!["fields"]!.AsArray(), "id");
        Assert.True(id["primaryKey"]!.GetValue<bool>());
        Assert.Equal("^[a-z0-9]+$", id["pattern"]!.GetValue<string>());
        var headline = FieldByName(updated["fields"]!.AsArray(), "headline");
        Assert.Equal(20, headline["max"]!.GetValue<int>());
        Assert.True(headline["required"]!.GetValue<bool>());
        var (tooLong, _) = await PostAsync(su, "/api/collections/posts/records", new JsonObject { ["headline"] = new string('x', 21) }, ct);
        Assert.Equal(400, tooLong);

        // A field list without the id field keeps the stored one (its id too).
        (status, updated) = await PatchAsync(su, "/api/collections/posts", new JsonObject
        {
            ["fields"] = new JsonArray(new JsonObject { ["type"] = "text", ["name"] = "headline", ["id"] = title["id"]!.DeepClone() }),
        }, ct);
        Assert.True(status == 200, updated?.ToJsonString());
        Assert.Equal(idField["id"]!.GetValue<string>(), FieldByName(updated!["fields"]!.AsArray(), "id")["id"]!.GetValue<string>());

        // What is submitted still wins over the stored value: the id field can't drop primaryKey.
        (status, var error) = await PatchAsync(su, "/api/collections/posts", new JsonObject
        {
            ["fields"] = new JsonArray(new JsonObject { ["type"] = "text", ["name"] = "id", ["id"] = idField["id"]!.DeepClone(), ["primaryKey"] = false }),
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_primary_key", Code(error!["data"]!["fields"]!["0"]!["type"]));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_new_views_id_field_and_views_following_a_renamed_collection(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "posts", ["listRule"] = "", ["fields"] = new JsonArray(Field("title", "text")) }, ct);
        await CreateRecordAsync(su, "posts", new JsonObject { ["title"] = "hello" }, ct);

        var constant = await CreateAsync(su, new JsonObject
        {
            ["name"] = "constant", ["type"] = "view", ["viewQuery"] = "select 1 as id from posts limit 1",
            ["fields"] = new JsonArray(Field("ignored", "text")),
        }, ct);
        var id = Assert.Single(constant["fields"]!.AsArray())!;
        Assert.Equal("text3208210256", id["id"]!.GetValue<string>());
        Assert.Equal("^[a-z0-9]+$", id["pattern"]!.GetValue<string>());
        Assert.Equal(0, id["max"]!.GetValue<int>());
        Assert.Equal("", id["autogeneratePattern"]!.GetValue<string>());

        await CreateAsync(su, new JsonObject
        {
            ["name"] = "titles", ["type"] = "view", ["listRule"] = "",
            ["viewQuery"] = "SELECT posts.id, p2.title, 'posts' AS label FROM posts LEFT JOIN \"posts\" p2 ON p2.id = posts.id",
        }, ct);

        // Renaming the collection rewrites the views that read it; strings and other names stay.
        var (status, renamed) = await PatchAsync(su, "/api/collections/posts", new JsonObject { ["name"] = "articles" }, ct);
        Assert.True(status == 200, renamed?.ToJsonString());
        var (_, titles) = await GetAsync(su, "/api/collections/titles", ct);
        Assert.Equal("SELECT \"articles\".id, p2.title, 'posts' AS label FROM \"articles\" LEFT JOIN \"articles\" p2 ON p2.id = \"articles\".id",
            titles!["viewQuery"]!.GetValue<string>());
        var (listed, rows) = await GetAsync(app.Client, "/api/collections/titles/records", ct);
        Assert.Equal(200, listed);
        var row = Assert.Single(rows!["items"]!.AsArray())!;
        Assert.Equal("hello", row["title"]!.GetValue<string>());
        Assert.Equal("posts", row["label"]!.GetValue<string>());
        Assert.Contains("\"articles\"", (await GetAsync(su, "/api/collections/constant", ct)).Body!["viewQuery"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
