using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client records service: list, full list, first, one, create, update, delete; typed and untyped; errors.</summary>
public sealed class ClientRecordsTests(PostgresCluster postgres)
{
    private sealed record Post(string Id, string Title, double Views, string Status, IReadOnlyList<string> Tags, PostExpand? Expand, string CollectionName);

    private sealed record PostExpand(IReadOnlyList<Tag>? Tags);

    private sealed record Tag(string Id, string Name);

    [Theory]
    [DatabaseMatrix]
    public async Task Crud_list_and_filters_typed_and_untyped(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        using var pb = Guest(app);

        var tag = await pb.Collection("tags").CreateAsync(new { name = "news" }, cancellationToken: ct);
        var posts = pb.Collection<Post>("posts");
        for (var i = 1; i <= 7; i++)
            await posts.CreateAsync(new { title = "post " + i, views = i * 10, status = i % 2 == 0 ? "live" : "draft", tags = new[] { Str(tag, "id") } }, cancellationToken: ct);
        // Quotes and a backslash inside a parameter stay inside the string.
        var tricky = await posts.CreateAsync(new { title = "it's a \\ 'quoted' title", views = 0 }, cancellationToken: ct);

        var page = await posts.GetListAsync(1, 3, new ListOptions { Filter = pb.Filter("views >= {:min} && status = {:s}", new { min = 20, s = "live" }), Sort = "-views", Expand = "tags" }, ct);
        Assert.Equal(3, page.TotalItems);
        Assert.Equal(1, page.TotalPages);
        Assert.Equal([60.0, 40.0, 20.0], page.Items.Select(p => p.Views));
        Assert.Equal("news", page.Items[0].Expand!.Tags![0].Name);
        Assert.Equal("posts", page.Items[0].CollectionName);

        var skipped = await posts.GetListAsync(2, 2, new ListOptions { SkipTotal = true, Sort = "views" }, ct);
        Assert.Equal(-1, skipped.TotalItems);
        Assert.Equal(2, skipped.Items.Count);

        var all = await posts.GetFullListAsync(batch: 3, new ListOptions { Sort = "created" }, ct);
        Assert.Equal(8, all.Count);
        Assert.Equal(8, all.Select(p => p.Id).Distinct().Count());

        var found = await posts.GetFirstListItemAsync(pb.Filter("title = {:t}", new { t = "it's a \\ 'quoted' title" }), cancellationToken: ct);
        Assert.Equal(tricky.Id, found.Id);
        var notFound = await Assert.ThrowsAsync<ClientResponseException>(() => posts.GetFirstListItemAsync(pb.Filter("title = {:t}", new { t = "' || 1=1 || '" }), cancellationToken: ct));
        Assert.Equal(404, notFound.Status);

        var one = await pb.Collection("posts").GetOneAsync(tricky.Id, new RecordOptions { Fields = "id,title" }, ct);
        Assert.Equal(["id", "title"], one.Select(p => p.Key).Order());

        var updated = await posts.UpdateAsync(tricky.Id, new JsonObject { ["views+"] = 5, ["status"] = "live" }, cancellationToken: ct);
        Assert.Equal(5, updated.Views);
        Assert.Equal("live", updated.Status);

        await posts.DeleteAsync(tricky.Id, cancellationToken: ct);
        var gone = await Assert.ThrowsAsync<ClientResponseException>(() => posts.GetOneAsync(tricky.Id, cancellationToken: ct));
        Assert.Equal(404, gone.Status);
        Assert.Equal(404, gone.Response["status"]!.GetValue<int>());
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResponseException>(() => posts.GetOneAsync("", cancellationToken: ct))).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Errors_carry_status_and_field_details_and_cancellation_throws(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        using var pb = Guest(app);

        var invalid = await Assert.ThrowsAsync<ClientResponseException>(() => pb.Collection("posts").CreateAsync(new { views = "many", status = "gone" }, cancellationToken: ct));
        Assert.Equal(400, invalid.Status);
        Assert.Equal("validation_required", invalid.FieldCode("title"));
        Assert.NotNull(invalid.FieldErrors["views"]);
        Assert.Equal(0, (await pb.Collection("posts").GetListAsync(cancellationToken: ct)).TotalItems);

        var badFilter = await Assert.ThrowsAsync<ClientResponseException>(() => pb.Collection("posts").GetListAsync(1, 10, new ListOptions { Filter = "title = ('x" }, ct));
        Assert.Equal(400, badFilter.Status);
        var forbidden = await Assert.ThrowsAsync<ClientResponseException>(() => pb.Collections.GetListAsync(cancellationToken: ct));
        Assert.Equal(401, forbidden.Status);
        Assert.Throws<ArgumentException>(() => pb.Filter("title = {:t}", new { t = "ends with \\" }));
        Assert.Throws<ArgumentException>(() => pb.Filter("title = {:missing}", new { t = "x" }));

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pb.Collection("posts").GetListAsync(cancellationToken: cancelled.Token));

        using var nowhere = new PaperGaoClient("http://127.0.0.1:9"); // nothing listens on the discard port
        var network = await Assert.ThrowsAsync<ClientResponseException>(() => nowhere.HealthAsync(ct));
        Assert.Equal(0, network.Status);
    }
}
