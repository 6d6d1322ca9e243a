using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>Mutations go through RecordWriter (rules, validation, hooks) and all of one request commit or roll back together.</summary>
public sealed class GraphQLMutationTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Create_update_with_modifiers_and_delete(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "Ann" }, ct);
        var authorId = author!["id"]!.GetValue<string>();

        var created = await DataAsync(app.Client, """
            mutation($author: ID) { createPosts(data: { title: "hello", views: 5, active: true, tags: ["a"], author: $author, data: { k: [1, 2] } }) {
              id title views active tags author { name } data } }
            """, new { author = authorId }, ct);
        var post = created["createPosts"]!;
        var id = post["id"]!.GetValue<string>();
        Assert.Equal("Ann", post["author"]!["name"]!.GetValue<string>());
        Assert.Equal(2, post["data"]!["k"]![1]!.GetValue<int>());

        var updated = await DataAsync(app.Client, "mutation($id: ID!) { updatePosts(id: $id, data: { views_add: 10, tags_append: [\"b\"], title: \"bye\" }) { title views tags } }", new { id }, ct);
        Assert.Equal(15, updated["updatePosts"]!["views"]!.GetValue<double>());
        Assert.Equal(["a", "b"], updated["updatePosts"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var rest = await GetJsonAsync(app.Client, $"/api/collections/posts/records/{id}", ct);
        Assert.Equal("bye", rest["title"]!.GetValue<string>());

        Assert.True((await DataAsync(app.Client, "mutation($id: ID!) { deletePosts(id: $id) }", new { id }, ct))["deletePosts"]!.GetValue<bool>());
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Invalid_values_give_per_field_errors_and_a_refusing_hook_rolls_back_the_whole_request(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        // Per-field validation errors in extensions.data, as REST puts them in data.
        var (status, body) = await PostAsync(app.Client, "mutation { createPosts(data: { title: \"\", tags: [\"zzz\"] }) { id } }", ct: ct);
        Assert.Equal(200, status);
        var ext = body["errors"]![0]!["extensions"]!;
        Assert.Equal(400, ext["status"]!.GetValue<int>());
        Assert.Equal("validation_required", ext["data"]!["title"]!["code"]!.GetValue<string>());
        Assert.NotNull(ext["data"]!["tags"]);
        // A value of the wrong GraphQL type never reaches the database: a request error.
        (status, _) = await PostAsync(app.Client, "mutation { createPosts(data: { title: \"x\", views: \"many\" }) { id } }", ct: ct);
        Assert.Equal(400, status);

        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        project.Hooks.BeforeCreate.Bind(async (e, next) =>
        {
            if (e.Record.GetString("title") == "refuse") throw ApiError.BadRequest("Refused by a hook.");
            await next();
        });
        (status, body) = await PostAsync(app.Client, """
            mutation { a: createPosts(data: { title: "first" }) { id } b: createPosts(data: { title: "refuse" }) { id } c: createPosts(data: { title: "third" }) { id } }
            """, ct: ct);
        Assert.Equal(200, status);
        Assert.Null(body["data"]);
        var errors = body["errors"]!.AsArray();
        Assert.Contains(errors, e => e!["message"]!.GetValue<string>() == "Refused by a hook.");
        Assert.Contains(errors, e => e!["extensions"]?["code"]?.GetValue<string>() == "NOT_RUN");
        Assert.Equal(0, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        // Without the refusal both writes commit together.
        var ok = await DataAsync(app.Client, "mutation { a: createPosts(data: { title: \"one\" }) { id } b: createPosts(data: { title: \"two\" }) { id } }", ct: ct);
        Assert.NotNull(ok["b"]!["id"]);
        Assert.Equal(2, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());
    }
}
