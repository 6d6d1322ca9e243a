using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>GraphQL queries over HTTP (docs/graphql.md): lists, filters, sort, paging, relations and back-relations.</summary>
public sealed class GraphQLQueryTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Lists_filter_sort_page_and_follow_relations(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (_, author) = await SendAsync(su, HttpMethod.Post, "/api/collections/authors/records", new { name = "Ann", secret = "s3" }, ct);
        var authorId = author!["id"]!.GetValue<string>();
        for (var i = 1; i <= 5; i++)
        {
            var (_, post) = await SendAsync(su, HttpMethod.Post, "/api/collections/posts/records", new { title = "p" + i, views = i * 10, author = authorId, tags = new[] { "a" } }, ct);
            await SendAsync(su, HttpMethod.Post, "/api/collections/comments/records", new { message = "c" + i, post = post!["id"]!.GetValue<string>() }, ct);
        }

        var data = await DataAsync(app.Client, """
            { postsList(filter: "views > 10", sort: "-views", perPage: 2, page: 1) {
                page perPage totalItems totalPages
                items { id title views tags author { name } comments_via_post { message post { title } } } } }
            """, ct: ct);
        var list = data["postsList"]!;
        Assert.Equal(4, list["totalItems"]!.GetValue<int>());
        Assert.Equal(2, list["totalPages"]!.GetValue<int>());
        Assert.Equal(2, list["perPage"]!.GetValue<int>());
        var first = list["items"]![0]!;
        Assert.Equal("p5", first["title"]!.GetValue<string>());
        Assert.Equal(50, first["views"]!.GetValue<double>());
        Assert.Equal("a", first["tags"]![0]!.GetValue<string>());
        Assert.Equal("Ann", first["author"]!["name"]!.GetValue<string>());
        Assert.Equal("c5", first["comments_via_post"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("p5", first["comments_via_post"]![0]!["post"]!["title"]!.GetValue<string>());

        var one = await DataAsync(app.Client, "query($id: ID!) { authors(id: $id) { id name posts_via_author { title } } }", new { id = authorId }, ct);
        Assert.Equal(5, one["authors"]!["posts_via_author"]!.AsArray().Count);
        Assert.Null((await DataAsync(app.Client, "{ authors(id: \"nope\") { id } }", ct: ct))["authors"]);

        var skip = await DataAsync(app.Client, "{ postsList(skipTotal: true) { totalItems totalPages items { id } } }", ct: ct);
        Assert.Equal(-1, skip["postsList"]!["totalItems"]!.GetValue<int>());
        Assert.Equal(5, skip["postsList"]!["items"]!.AsArray().Count);
    }
}
