using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Auth.Users;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>The two role patterns of docs/roles.md, rule for rule.</summary>
public sealed class RolesTests(PostgresCluster postgres)
{
    private static async Task AddUserFieldAsync(PaperGaoApp app, JsonObject field, JsonObject rules, CancellationToken ct)
    {
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetJsonAsync(su, "/api/collections/users", ct);
        var fields = users["fields"]!.AsArray().DeepClone().AsArray();
        fields.Add(field);
        rules["fields"] = fields;
        await PatchCollectionAsync(app, "users", rules, ct);
    }

    private static JsonObject Articles(string write, string delete) => new()
    {
        ["name"] = "articles", ["type"] = "base",
        ["listRule"] = "@request.auth.id != ''", ["viewRule"] = "@request.auth.id != ''",
        ["createRule"] = write, ["updateRule"] = write, ["deleteRule"] = delete,
        ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
    };

    [Theory]
    [DatabaseMatrix]
    public async Task Role_select_field_on_users(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        // docs/roles.md, pattern 1.
        await AddUserFieldAsync(app,
            new JsonObject { ["name"] = "role", ["type"] = "select", ["maxSelect"] = 1, ["values"] = new JsonArray("viewer", "editor", "admin") },
            new JsonObject
            {
                ["createRule"] = "@request.body.role:isset = false",
                ["updateRule"] = "(id = @request.auth.id && @request.body.role:isset = false) || @request.auth.role = 'admin'",
                ["manageRule"] = "@request.auth.role = 'admin'",
            }, ct);
        await CreateAsync(su, Articles("@request.auth.role = 'editor' || @request.auth.role = 'admin'", "@request.auth.role = 'admin'"), ct);

        // Nobody signs up with a role.
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/records",
            new { email = "sneaky@x.io", password = Password, passwordConfirm = Password, role = "admin" }, ct)).Status);
        var admin = await SignUpAsync(app, "admin@x.io", ct);
        var ed = await SignUpAsync(app, "editor@x.io", ct);
        var viewer = await SignUpAsync(app, "viewer@x.io", ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + admin, new { role = "admin" }, ct)).Status);
        using var adm = await SignedInClientAsync(app, "admin@x.io", ct);
        using var v = await SignedInClientAsync(app, "viewer@x.io", ct);

        // A user cannot promote themselves, but may edit the rest of their record.
        Assert.Equal(404, (await SendAsync(v, HttpMethod.Patch, "/api/collections/users/records/" + viewer, new { role = "admin" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(v, HttpMethod.Patch, "/api/collections/users/records/" + viewer, new { name = "Vera" }, ct)).Status);
        // The admin manages others: role, verified, password without oldPassword.
        var (s, edited) = await SendAsync(adm, HttpMethod.Patch, "/api/collections/users/records/" + ed,
            new { role = "editor", verified = true, password = "Editor-pass-1", passwordConfirm = "Editor-pass-1" }, ct);
        Assert.Equal(200, s);
        Assert.Equal("editor", edited!["role"]!.GetValue<string>());
        Assert.Equal(200, (await SendAsync(adm, HttpMethod.Patch, "/api/collections/users/records/" + viewer, new { role = "viewer" }, ct)).Status);
        using var e = ClientWith(app, await SignInAsync(app, "editor@x.io", ct, password: "Editor-pass-1"));
        using var v2 = await SignedInClientAsync(app, "viewer@x.io", ct);

        // Articles: viewers read, editors write, admins delete.
        var (cs, art) = await SendAsync(e, HttpMethod.Post, "/api/collections/articles/records", new { title = "Hello" }, ct);
        Assert.Equal(200, cs);
        var artUrl = "/api/collections/articles/records/" + art!["id"]!.GetValue<string>();
        Assert.Equal(400, (await SendAsync(v2, HttpMethod.Post, "/api/collections/articles/records", new { title = "Nope" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(v2, HttpMethod.Get, artUrl, null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, artUrl, null, ct)).Status);
        Assert.Equal(404, (await SendAsync(v2, HttpMethod.Patch, artUrl, new { title = "x" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(e, HttpMethod.Patch, artUrl, new { title = "Hello again" }, ct)).Status);
        Assert.Equal(404, (await SendAsync(e, HttpMethod.Delete, artUrl, null, ct)).Status);
        Assert.Equal(204, (await SendAsync(adm, HttpMethod.Delete, artUrl, null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Roles_collection_related_to_users(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        // docs/roles.md, pattern 2.
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "roles", ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = "text", ["required"] = true }),
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_roles_name ON roles (name)"),
        }, ct);
        var rolesId = (await GetJsonAsync(su, "/api/collections/roles", ct))["id"]!.GetValue<string>();
        await AddUserFieldAsync(app,
            new JsonObject { ["name"] = "roles", ["type"] = "relation", ["collectionId"] = rolesId, ["maxSelect"] = 10 },
            new JsonObject
            {
                ["createRule"] = "@request.body.roles:isset = false",
                ["updateRule"] = "(id = @request.auth.id && @request.body.roles:isset = false) || @request.auth.roles.name ?= 'admin'",
                ["manageRule"] = "@request.auth.roles.name ?= 'admin'",
            }, ct);
        await CreateAsync(su, Articles("@request.auth.roles.name ?= 'editor'", "@request.auth.roles.name ?= 'admin'"), ct);
        string editorRole = "", adminRole = "";
        foreach (var name in new[] { "viewer", "editor", "admin" })
        {
            var (_, r) = await SendAsync(su, HttpMethod.Post, "/api/collections/roles/records", new { name }, ct);
            if (name == "editor") editorRole = r!["id"]!.GetValue<string>();
            if (name == "admin") adminRole = r!["id"]!.GetValue<string>();
        }

        var admin = await SignUpAsync(app, "admin@x.io", ct);
        var u = await SignUpAsync(app, "u@x.io", ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + admin, new { roles = new[] { adminRole } }, ct)).Status);
        using var adm = await SignedInClientAsync(app, "admin@x.io", ct);
        using var uc = await SignedInClientAsync(app, "u@x.io", ct);

        Assert.Equal(404, (await SendAsync(uc, HttpMethod.Patch, "/api/collections/users/records/" + u, new { roles = new[] { adminRole } }, ct)).Status);
        Assert.Equal(400, (await SendAsync(uc, HttpMethod.Post, "/api/collections/articles/records", new { title = "no" }, ct)).Status);
        // The admin grants "editor" (roles+ appends).
        Assert.Equal(200, (await SendAsync(adm, HttpMethod.Patch, "/api/collections/users/records/" + u, new JsonObject { ["roles+"] = editorRole }, ct)).Status);
        Assert.Equal(200, (await SendAsync(uc, HttpMethod.Post, "/api/collections/articles/records", new { title = "yes" }, ct)).Status);
        var (ls, list) = await SendAsync(uc, HttpMethod.Get, "/api/collections/articles/records", null, ct);
        Assert.Equal(200, ls);
        Assert.Equal(1, list!["totalItems"]!.GetValue<int>());
        // Revoked: writes stop at once (the rule reads the role at request time).
        Assert.Equal(200, (await SendAsync(adm, HttpMethod.Patch, "/api/collections/users/records/" + u, new JsonObject { ["roles-"] = editorRole }, ct)).Status);
        Assert.Equal(400, (await SendAsync(uc, HttpMethod.Post, "/api/collections/articles/records", new { title = "again" }, ct)).Status);
    }
}
