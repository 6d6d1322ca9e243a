using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Parity;

/// <summary>
/// Answers PocketBase's own API scenarios pin (error codes, key order, which check comes first), each through HTTP
/// (see docs/pocketbase-parity.md).
/// </summary>
public sealed class PocketBaseParityTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Collection_errors_use_PocketBase_codes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "things", ["fields"] = new JsonArray(Field("a", "text")) }, ct);

        // An existing name, reported together with the other errors of the body.
        var (status, error) = await PostAsync(su, "/api/collections", new JsonObject { ["name"] = "things", ["fields"] = new JsonArray(Field("", "text")) }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_collection_name_exists", Code(error!["data"]!["name"]));
        Assert.Equal("validation_required", Code(error["data"]!["fields"]!["1"]!["name"]));

        // A type change and a taken name: both named.
        (status, error) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["name"] = "users", ["type"] = "auth" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_collection_type_change", Code(error!["data"]!["type"]));
        Assert.Equal("validation_collection_name_exists", Code(error["data"]!["name"]));

        // Field names auth collections keep for themselves.
        (status, error) = await PostAsync(su, "/api/collections", new JsonObject
        {
            ["name"] = "members", ["type"] = "auth", ["fields"] = new JsonArray(Field("oldPassword", "text"), Field("passwordConfirm", "text")),
        }, ct);
        Assert.Equal(400, status);
        var reserved = error!["data"]!["fields"]!.AsObject().Select(kv => Code(kv.Value!["name"])).ToArray();
        Assert.Equal(["validation_reserved_field_name", "validation_reserved_field_name"], reserved);
        // "expand" stays a plain reserved name (as PocketBase).
        (status, error) = await PostAsync(su, "/api/collections", new JsonObject { ["name"] = "exp", ["fields"] = new JsonArray(Field("expand", "text")) }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_not_in_invalid", Code(error!["data"]!["fields"]!["1"]!["name"]));

        // The same index name twice in one definition, on create and on update.
        var dupIndexes = new JsonArray("CREATE INDEX dup_i ON dupidx (a)", "CREATE INDEX dup_i ON dupidx (id)");
        (status, error) = await PostAsync(su, "/api/collections", new JsonObject { ["name"] = "dupidx", ["fields"] = new JsonArray(Field("a", "text")), ["indexes"] = dupIndexes }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_duplicated_index_name", Code(error!["data"]!["indexes"]!["1"]));
        (status, error) = await PatchAsync(su, "/api/collections/things", new JsonObject { ["indexes"] = new JsonArray("CREATE INDEX t_i ON things (a)", "CREATE INDEX t_i ON things (id)") }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_duplicated_index_name", Code(error!["data"]!["indexes"]!["1"]));

        // Removing a system field.
        var (_, users) = await GetAsync(su, "/api/collections/users", ct);
        var fields = Fields(users!.AsObject());
        fields.Remove(FieldByName(fields, "email"));
        (status, error) = await PatchAsync(su, "/api/collections/users", new JsonObject { ["fields"] = fields }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_system_field_change", Code(error!["data"]!["fields"]));

        // A field list without the id field, on a collection whose id field has its own field id (as PocketBase's
        // fixture has): the default id field replaces it, so the system field is reported removed, before any check of
        // the views that read the collection (PocketBase's scenario collection_test.go:1173).
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "own_id",
            ["fields"] = new JsonArray(new JsonObject { ["id"] = "_pbf_text_id_", ["name"] = "id", ["type"] = "text", ["system"] = true, ["primaryKey"] = true,
                ["required"] = true, ["pattern"] = "^[a-z0-9]+$", ["autogeneratePattern"] = "[a-z0-9]{15}", ["min"] = 15, ["max"] = 15 }, Field("title", "text")),
        }, ct);
        await CreateAsync(su, new JsonObject { ["name"] = "own_id_view", ["type"] = "view", ["viewQuery"] = "SELECT id, title FROM own_id" }, ct);
        (status, error) = await PatchAsync(su, "/api/collections/own_id", new JsonObject { ["name"] = "renamed", ["fields"] = new JsonArray(Field("created", "text")) }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_system_field_change", Code(error!["data"]!["fields"]));
        Assert.Null(error["data"]!["viewQuery"]);

        // A view without an id column is an invalid view query.
        (status, error) = await PostAsync(su, "/api/collections", new JsonObject { ["name"] = "v", ["type"] = "view", ["viewQuery"] = "SELECT a FROM things" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_view_query", Code(error!["data"]!["viewQuery"]));

        // Nothing above was created or changed.
        var (_, list) = await GetAsync(su, "/api/collections?perPage=100&filter=" + Uri.EscapeDataString("system = false"), ct);
        Assert.Equal(["own_id", "own_id_view", "things", "users"], list!["items"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Auth_routes_answer_in_PocketBase_order_and_shape(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "posts", ["fields"] = new JsonArray(Field("a", "text")) }, ct);
        await Users.SignUpAsync(app, "alice@example.com", ct);
        var token = await Users.SignInAsync(app, "alice@example.com", ct);
        using var alice = Users.ClientWith(app, token);

        // auth-methods: identityFields before enabled (PocketBase's struct order); none listed while password auth is off.
        using (var r = await app.Client.GetAsync("/api/collections/users/auth-methods", ct))
            Assert.Contains("\"password\":{\"identityFields\":[\"email\"],\"enabled\":true}", await r.Content.ReadAsStringAsync(ct));
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject { ["passwordAuth"] = new JsonObject { ["enabled"] = false } }, ct)).Status);
        using (var r = await app.Client.GetAsync("/api/collections/users/auth-methods", ct))
            Assert.Contains("\"password\":{\"identityFields\":[],\"enabled\":false}", await r.Content.ReadAsStringAsync(ct));

        // A base collection in an auth route: the caller's token is checked first (401 without, 403 with another collection's).
        Assert.Equal(403, (await PostAsync(alice, "/api/collections/posts/auth-refresh", new JsonObject(), ct)).Status);
        Assert.Equal(401, (await PostAsync(app.Client, "/api/collections/posts/auth-refresh", new JsonObject(), ct)).Status);
        var (status, error) = await PostAsync(app.Client, "/api/collections/posts/request-email-change", new JsonObject { ["newEmail"] = "x@example.com" }, ct);
        Assert.Equal(401, status);
        Assert.Empty(error!["data"]!.AsObject());
        Assert.Equal(403, (await PostAsync(alice, "/api/collections/posts/request-email-change", new JsonObject { ["newEmail"] = "x@example.com" }, ct)).Status);
        Assert.Equal(403, (await PostAsync(alice, "/api/collections/nope/auth-refresh", new JsonObject(), ct)).Status);
        Assert.Equal(200, (await PostAsync(alice, "/api/collections/users/auth-refresh", new JsonObject(), ct)).Status);

        // confirm-email-change with a token that carries no new email (here an auth token): a payload error.
        (status, error) = await PostAsync(app.Client, "/api/collections/users/confirm-email-change", new JsonObject { ["token"] = token, ["password"] = Users.Password }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_token_payload", Code(error!["data"]!["token"]));

        // auth-with-oauth2: redirectURL is optional, only the unknown provider is reported.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject
        {
            ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = new JsonArray(new JsonObject { ["name"] = "github", ["clientId"] = "id", ["clientSecret"] = "secret" }) },
        }, ct)).Status);
        (status, error) = await PostAsync(app.Client, "/api/collections/users/auth-with-oauth2", new JsonObject { ["provider"] = "missing" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_provider", Code(error!["data"]!["provider"]));
        Assert.Null(error["data"]!["redirectURL"]);
        Assert.Null(error["data"]!["codeVerifier"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Provider_logos_and_escapes_are_written_as_PocketBase_does(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        // Every provider has an SVG logo; the generic OpenID Connect ones are named "OIDC". "<" is escaped with Go's lowercase hex.
        using (var r = await su.GetAsync("/api/collections/meta/oauth2-providers", ct))
        {
            var text = await r.Content.ReadAsStringAsync(ct);
            Assert.Contains("{\"name\":\"oidc3\",\"displayName\":\"OIDC\",\"logo\":\"\\u003csvg", text);
            Assert.DoesNotContain("\\u003C", text);
            Assert.All(JsonNode.Parse(text)!.AsArray(), p => Assert.StartsWith("<svg", p!["logo"]!.GetValue<string>()));
        }
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject
        {
            ["oauth2"] = new JsonObject { ["enabled"] = true, ["providers"] = new JsonArray(new JsonObject { ["name"] = "gitlab", ["clientId"] = "id", ["clientSecret"] = "secret" }) },
        }, ct)).Status);
        using (var r = await app.Client.GetAsync("/api/collections/users/auth-methods", ct))
        {
            var text = await r.Content.ReadAsStringAsync(ct);
            Assert.Contains("\"name\":\"gitlab\",\"displayName\":\"GitLab\",\"logo\":\"\\u003csvg", text);
            Assert.Contains("\"logo\":\"\"", text); // the legacy authProviders list keeps an empty logo
        }

        // Record values too: the JSON is the same value, written with lowercase escapes (also through ?fields=).
        await CreateAsync(su, new JsonObject { ["name"] = "notes", ["listRule"] = "", ["fields"] = new JsonArray(Field("a", "text")) }, ct);
        const string value = "<b>&</b> it's 1+1 \"`q`\" \\u0027 é";
        Assert.Equal(200, (await PostAsync(su, "/api/collections/notes/records", new JsonObject { ["a"] = value }, ct)).Status);
        foreach (var url in new[] { "/api/collections/notes/records", "/api/collections/notes/records?fields=a" })
        {
            var text = await app.Client.GetStringAsync(url, ct);
            Assert.Contains("\\u003cb\\u003e\\u0026\\u003c/b\\u003e it's 1+1 \\\"`q`\\\" \\\\u0027 \\u00e9", text);
            Assert.Equal(value, JsonNode.Parse(text)!["items"]![0]!["a"]!.GetValue<string>());
        }

        // Field definitions have their keys in alphabetical order (PocketBase marshals a field as a map).
        var notes = await su.GetStringAsync("/api/collections/notes", ct);
        Assert.Contains("{\"autogeneratePattern\":\"[a-z0-9]{15}\",\"help\":\"\",\"hidden\":false,\"id\":\"text3208210256\",\"max\":15,\"min\":15,\"name\":\"id\",\"pattern\":\"^[a-z0-9]+$\",\"presentable\":false,\"primaryKey\":true,\"required\":true,\"system\":true,\"type\":\"text\"}", notes);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Password_reset_confirm_reports_the_token_with_the_other_errors(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetAsync(su, "/api/collections/users", ct);
        var fields = Fields(users.Body!.AsObject());
        FieldByName(fields, "password")!["min"] = 8;
        Assert.Equal(200, (await PatchAsync(su, "/api/collections/users", new JsonObject { ["fields"] = fields }, ct)).Status);

        var (status, error) = await PostAsync(app.Client, "/api/collections/users/confirm-password-reset",
            new JsonObject { ["token"] = "not.a.token", ["password"] = "1234567", ["passwordConfirm"] = "7654321" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_invalid_token", Code(error!["data"]!["token"]));
        Assert.Equal("validation_length_out_of_range", Code(error["data"]!["password"]));
        Assert.Equal("validation_values_mismatch", Code(error["data"]!["passwordConfirm"]));
        // A good password with a bad token: the token alone.
        (status, error) = await PostAsync(app.Client, "/api/collections/users/confirm-password-reset",
            new JsonObject { ["token"] = "not.a.token", ["password"] = "12345678", ["passwordConfirm"] = "12345678" }, ct);
        Assert.Equal(400, status);
        Assert.Equal(["token"], error!["data"]!.AsObject().Select(kv => kv.Key));
    }
}
