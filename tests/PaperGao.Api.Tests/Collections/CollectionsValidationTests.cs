using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Collections;

public sealed class CollectionsValidationTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Bad_definitions_get_per_key_errors_and_create_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        async Task<JsonNode> Refused(JsonObject body)
        {
            var (status, error) = await PostAsync(su, "/api/collections", body, ct);
            Assert.True(status == 400, $"expected 400 for {body.ToJsonString()}, got {status} {error?.ToJsonString()}");
            Assert.Equal("Failed to create collection.", error!["message"]!.GetValue<string>());
            return error["data"]!;
        }

        Assert.Equal("validation_invalid_name", Code((await Refused(new JsonObject { ["name"] = "bad name" }))["name"]));
        Assert.Equal("validation_invalid_name", Code((await Refused(new JsonObject { ["name"] = "drop;table" }))["name"]));
        Assert.Equal("validation_invalid_name", Code((await Refused(new JsonObject { ["name"] = new string('a', 256) }))["name"]));
        Assert.Equal("validation_invalid_name", Code((await Refused(new JsonObject { ["name"] = "_private" }))["name"]));
        Assert.Equal("validation_required", Code((await Refused(new JsonObject { ["name"] = "" }))["name"]));
        Assert.Equal("validation_collection_name_exists", Code((await Refused(new JsonObject { ["name"] = "USERS" }))["name"]));
        Assert.Equal("validation_collection_name_exists", Code((await Refused(new JsonObject { ["name"] = "_collections" }))["name"]));
        Assert.Equal("validation_in_invalid", Code((await Refused(new JsonObject { ["name"] = "x", ["type"] = "table" }))["type"]));

        var data = await Refused(new JsonObject { ["name"] = "dups", ["fields"] = new JsonArray(Field("title", "text"), Field("Title", "number")) });
        Assert.Equal("validation_not_unique", Code(data["fields"]!["2"]!["name"]));
        data = await Refused(new JsonObject { ["name"] = "reserved", ["fields"] = new JsonArray(Field("expand", "text"), Field("a_via_b", "text"), Field("x y", "text")) });
        Assert.Equal("validation_not_in_invalid", Code(data["fields"]!["1"]!["name"]));
        Assert.Equal("validation_invalid_name", Code(data["fields"]!["2"]!["name"]));
        Assert.Equal("validation_invalid_name", Code(data["fields"]!["3"]!["name"]));
        data = await Refused(new JsonObject { ["name"] = "badrel", ["fields"] = new JsonArray(Field("r", "relation", new() { ["collectionId"] = "nope" })) });
        Assert.NotNull(data["fields"]!["1"]!["collectionId"]);
        data = await Refused(new JsonObject { ["name"] = "badtype", ["fields"] = new JsonArray(Field("r", "nonsense")) });
        Assert.NotNull(data["fields"]!["0"]!["type"]);

        data = await Refused(new JsonObject { ["name"] = "badrule", ["listRule"] = "title = ", ["fields"] = new JsonArray(Field("title", "text")) });
        Assert.Equal("validation_invalid_rule", Code(data["listRule"]));
        data = await Refused(new JsonObject { ["name"] = "badrule2", ["viewRule"] = "missing_field = 1" });
        Assert.Equal("validation_invalid_rule", Code(data["viewRule"]));
        // The server's error names where in the rule the problem is (the dashboard marks it there).
        Assert.Equal("Invalid rule. unknown field 'missing_field' at position 0", data["viewRule"]!["message"]!.GetValue<string>());
        // Rules may use @request and @collection.
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "goodrule", ["fields"] = new JsonArray(Field("owner", "text")),
            ["listRule"] = "@request.auth.id != '' && owner = @request.auth.id",
            ["viewRule"] = "@collection.users.id ?= owner",
        }, ct);

        data = await Refused(new JsonObject { ["name"] = "badidx", ["fields"] = new JsonArray(Field("a", "text")), ["indexes"] = new JsonArray("CREATE INDEX idx_a ON badidx (a)", "DROP TABLE users") });
        Assert.Equal("validation_invalid_index", Code(data["indexes"]!["1"]));
        data = await Refused(new JsonObject { ["name"] = "badidx2", ["fields"] = new JsonArray(Field("a", "text")), ["indexes"] = new JsonArray("CREATE INDEX idx_b ON badidx2 (b)") });
        Assert.Equal("validation_invalid_index", Code(data["indexes"]!["0"]));

        data = await Refused(new JsonObject { ["name"] = "v1", ["type"] = "view", ["viewQuery"] = "SELECT id FROM users; DELETE FROM users" });
        Assert.Equal("validation_invalid_view_query", Code(data["viewQuery"]));
        data = await Refused(new JsonObject { ["name"] = "v2", ["type"] = "view", ["viewQuery"] = "SELECT name FROM users" });
        Assert.Equal("validation_invalid_view_query", Code(data["viewQuery"]));
        data = await Refused(new JsonObject { ["name"] = "v3", ["type"] = "view", ["viewQuery"] = "SELECT id FROM no_such_table" });
        Assert.Equal("validation_invalid_view_query", Code(data["viewQuery"]));
        data = await Refused(new JsonObject { ["name"] = "v4", ["type"] = "view", ["viewQuery"] = "DELETE FROM users" });
        Assert.Equal("validation_invalid_view_query", Code(data["viewQuery"]));

        // Nothing of the above exists.
        var (status, list) = await GetAsync(su, "/api/collections?perPage=100", ct);
        Assert.Equal(200, status);
        Assert.Equal(["_authOrigins", "_externalAuths", "_mfas", "_otps", "_superusers", "goodrule", "users"], list!["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Updates_refuse_type_change_and_system_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var c = await CreateAsync(su, new JsonObject { ["name"] = "things", ["fields"] = new JsonArray(Field("a", "text")) }, ct);

        var (status, error) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["type"] = "auth" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_collection_type_change", Code(error!["data"]!["type"]));

        (status, error) = await PatchAsync(su, "/api/collections/_superusers", new JsonObject { ["name"] = "admins" }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(error!["data"]!["name"]);
        (status, error) = await PatchAsync(su, "/api/collections/_superusers", new JsonObject { ["listRule"] = "" }, ct);
        Assert.Equal(400, status);
        Assert.NotNull(error!["data"]!["listRule"]);

        var fields = Fields(c);
        fields.RemoveAt(0); // the id field
        (status, error) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["fields"] = fields }, ct);
        Assert.True(status == 200 || status == 400, error?.ToJsonString());
        var (_, after) = await GetAsync(su, "/api/collections/things", ct);
        Assert.Equal("id", after!["fields"]![0]!["name"]!.GetValue<string>());

        fields = Fields(c);
        FieldByName(fields, "a")["type"] = "bogus";
        (status, _) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);

        (status, error) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["updateRule"] = "a ~ " }, ct);
        Assert.Equal(400, status);
        Assert.Equal("Failed to update collection.", error!["message"]!.GetValue<string>());
        Assert.Equal("validation_invalid_rule", Code(error["data"]!["updateRule"]));

        // Auth system fields can't be removed.
        var (_, users) = await GetAsync(su, "/api/collections/users", ct);
        fields = Fields(users!.AsObject());
        fields.Remove(FieldByName(fields, "email"));
        (status, error) = await PatchAsync(su, "/api/collections/users", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Requires_a_superuser_and_unknown_collections_are_404(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        var (status, error) = await GetAsync(app.Client, "/api/collections", ct);
        Assert.Equal(401, status);
        Assert.Equal("The request requires valid record authorization token.", error!["message"]!.GetValue<string>());
        Assert.Equal(401, (await PostAsync(app.Client, "/api/collections", new JsonObject { ["name"] = "x" }, ct)).Status);
        Assert.Equal(401, (await GetAsync(app.Client, "/api/collections/meta/scaffolds", ct)).Status);
        Assert.Equal(401, (await DeleteAsync(app.Client, "/api/collections/users", ct)).Status);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Put, "/api/collections/import", new JsonObject { ["collections"] = new JsonArray() }, ct)).Status);

        // A regular user's token: 403.
        var (st, created) = await PostAsync(app.Client, "/api/collections/users/records",
            new JsonObject { ["email"] = "u@example.com", ["password"] = "12345678", ["passwordConfirm"] = "12345678" }, ct);
        Assert.True(st == 200, created?.ToJsonString());
        var (st2, auth) = await PostAsync(app.Client, "/api/collections/users/auth-with-password", new JsonObject { ["identity"] = "u@example.com", ["password"] = "12345678" }, ct);
        Assert.True(st2 == 200, auth?.ToJsonString());
        using var user = app.CreateClient();
        user.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        (status, error) = await GetAsync(user, "/api/collections", ct);
        Assert.Equal(403, status);
        Assert.Equal("The authorized record is not allowed to perform this action.", error!["message"]!.GetValue<string>());
        Assert.Equal(403, (await PatchAsync(user, "/api/collections/users", new JsonObject { ["listRule"] = "" }, ct)).Status);
        Assert.Equal(403, (await DeleteAsync(user, "/api/collections/users/truncate", ct)).Status);

        Assert.Equal(404, (await GetAsync(su, "/api/collections/nope", ct)).Status);
        Assert.Equal(404, (await PatchAsync(su, "/api/collections/nope", new JsonObject { ["name"] = "x" }, ct)).Status);
        Assert.Equal(404, (await DeleteAsync(su, "/api/collections/nope", ct)).Status);
        Assert.Equal(404, (await DeleteAsync(su, "/api/collections/nope/truncate", ct)).Status);
        Assert.Equal(404, (await GetAsync(su, "/api/collections/..%2F..%2Fetc", ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Import_is_all_or_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var keep = await CreateAsync(su, new JsonObject { ["name"] = "keep", ["fields"] = new JsonArray(Field("k", "text")) }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "dropme", ["fields"] = new JsonArray(Field("d", "text")) }, ct);
        await CreateRecordAsync(su, "keep", new JsonObject { ["k"] = "v" }, ct);

        // One bad collection: nothing is imported.
        var (status, error) = await SendAsync(su, HttpMethod.Put, "/api/collections/import", new JsonObject
        {
            ["collections"] = new JsonArray(
                new JsonObject { ["name"] = "alpha", ["type"] = "base", ["fields"] = new JsonArray(Field("a", "text")) },
                new JsonObject { ["name"] = "beta", ["type"] = "base", ["listRule"] = "nope = 1" }),
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("Failed to import collections.", error!["message"]!.GetValue<string>());
        Assert.Equal("validation_invalid_rule", Code(error["data"]!["collections"]!["1"]!["listRule"]));
        Assert.Equal(404, (await GetAsync(su, "/api/collections/alpha", ct)).Status);

        // A failing DDL step late in the import (duplicate data for a new unique index) rolls everything back.
        var keepFields = Fields(keep);
        (status, error) = await SendAsync(su, HttpMethod.Put, "/api/collections/import", new JsonObject
        {
            ["collections"] = new JsonArray(
                new JsonObject { ["name"] = "alpha", ["type"] = "base", ["fields"] = new JsonArray(Field("a", "text")) },
                new JsonObject { ["id"] = keep["id"]!.DeepClone(), ["name"] = "keep", ["fields"] = keepFields, ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_keep_k ON keep (k)") }),
        }, ct);
        Assert.True(status == 204, error?.ToJsonString()); // one row only: the unique index is fine
        Assert.Equal(200, (await GetAsync(su, "/api/collections/alpha", ct)).Status);

        await CreateRecordAsync(su, "alpha", new JsonObject { ["a"] = "same" }, ct);
        await CreateRecordAsync(su, "alpha", new JsonObject { ["a"] = "same" }, ct);
        (status, error) = await SendAsync(su, HttpMethod.Put, "/api/collections/import", new JsonObject
        {
            ["collections"] = new JsonArray(
                new JsonObject { ["name"] = "gamma", ["type"] = "base", ["fields"] = new JsonArray(Field("g", "text")) },
                new JsonObject { ["name"] = "alpha", ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_alpha_a ON alpha (a)") }),
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_index", Code(error!["data"]!["collections"]!["1"]!["indexes"]!["0"]));
        Assert.Equal(404, (await GetAsync(su, "/api/collections/gamma", ct)).Status);
        Assert.Equal(2, await CountRecordsAsync(su, "alpha", ct));

        // deleteMissing removes the non-system collections that are not listed, and keeps the data of the listed ones.
        var (_, current) = await GetAsync(su, "/api/collections/keep", ct);
        var (_, alpha) = await GetAsync(su, "/api/collections/alpha", ct);
        (status, error) = await SendAsync(su, HttpMethod.Put, "/api/collections/import", new JsonObject
        {
            ["collections"] = new JsonArray(current!.DeepClone(), alpha!.DeepClone(),
                new JsonObject { ["name"] = "delta", ["type"] = "view", ["viewQuery"] = "SELECT id, k FROM keep" }),
            ["deleteMissing"] = true,
        }, ct);
        Assert.True(status == 204, error?.ToJsonString());
        Assert.Equal(404, (await GetAsync(su, "/api/collections/dropme", ct)).Status);
        Assert.Equal(404, (await GetAsync(su, "/api/collections/users", ct)).Status); // "users" is not a system collection
        Assert.Equal(200, (await GetAsync(su, "/api/collections/_superusers", ct)).Status);
        Assert.Equal(1, await CountRecordsAsync(su, "keep", ct));
        Assert.Equal(1, await CountRecordsAsync(su, "delta", ct));
    }
}
