using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Parity;

/// <summary>The legacy back-relation expand "collection(field)" that PocketBase 0.39 still honours, under the viewer's rules.</summary>
public sealed class LegacyBackRelationExpandTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Legacy_back_relation_expands_under_its_own_key_and_rules(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var posts = await CreateAsync(su, new JsonObject { ["name"] = "posts", ["listRule"] = "", ["viewRule"] = "", ["fields"] = new JsonArray(Field("title", "text")) }, ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "comments", ["listRule"] = "", ["viewRule"] = "hidden = false",
            ["fields"] = new JsonArray(
                Field("body", "text"), Field("hidden", "bool"),
                Field("post", "relation", new JsonObject { ["collectionId"] = posts["id"]!.DeepClone(), ["maxSelect"] = 1 })),
        }, ct);
        var post = await CreateRecordAsync(su, "posts", new JsonObject { ["title"] = "p" }, ct);
        var postId = post["id"]!.GetValue<string>();
        await CreateRecordAsync(su, "comments", new JsonObject { ["body"] = "shown", ["post"] = postId }, ct);
        await CreateRecordAsync(su, "comments", new JsonObject { ["body"] = "secret", ["post"] = postId, ["hidden"] = true }, ct);

        // The legacy key and the current one give the same records (the guest sees only what comments' viewRule allows).
        var (status, legacy) = await GetAsync(app.Client, $"/api/collections/posts/records/{postId}?expand=comments(post)", ct);
        Assert.Equal(200, status);
        var viaLegacy = legacy!["expand"]!["comments(post)"]!.AsArray();
        Assert.Equal("shown", Assert.Single(viaLegacy)!["body"]!.GetValue<string>());
        var (_, current) = await GetAsync(app.Client, $"/api/collections/posts/records/{postId}?expand=comments_via_post", ct);
        Assert.Equal(viaLegacy.ToJsonString(), current!["expand"]!["comments_via_post"]!.ToJsonString());
        var (_, bySuperuser) = await GetAsync(su, $"/api/collections/posts/records?expand=comments(post)", ct);
        Assert.Equal(2, bySuperuser!["items"]![0]!["expand"]!["comments(post)"]!.AsArray().Count);

        // Nested after a legacy key, and unknown collections or fields (or a relation to another collection): ignored.
        var (nested, nestedBody) = await GetAsync(su, $"/api/collections/posts/records/{postId}?expand=comments(post).post", ct);
        Assert.Equal(200, nested);
        Assert.Equal(postId, nestedBody!["expand"]!["comments(post)"]![0]!["expand"]!["post"]!["id"]!.GetValue<string>());
        foreach (var bad in (string[])["nope(post)", "comments(body)", "comments(nope)", "posts(title)", "comments(post"])
        {
            var (s, b) = await GetAsync(app.Client, $"/api/collections/posts/records/{postId}?expand={Uri.EscapeDataString(bad)}", ct);
            Assert.Equal(200, s);
            Assert.Null(b!["expand"]?[bad]);
        }
    }
}
