using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using PaperGao.Core.Realtime;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client realtime: subscribe with a filter, typed events, unsubscribe, and reconnect + resubscribe after the server drops the stream.</summary>
public sealed class ClientRealtimeTests(PostgresCluster postgres)
{
    private sealed record Post(string Id, string Title, double Views);

    [Theory]
    [DatabaseMatrix]
    public async Task Subscribe_filter_unsubscribe_and_resubscribe_after_a_drop(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        using var listener = Guest(app);
        using var writer = Guest(app);
        var posts = writer.Collection("posts");

        var popular = new ConcurrentQueue<RecordEvent<Post>>();
        var every = new ConcurrentQueue<RecordEvent<Post>>();
        var connects = 0;
        listener.Realtime.Connected += (_, _) => Interlocked.Increment(ref connects);
        var sub = await listener.Collection<Post>("posts").SubscribeAsync("*", popular.Enqueue, new SubscribeOptions { Filter = listener.Filter("views > {:v}", new { v = 10 }) }, ct);
        await using var all = await listener.Collection<Post>("posts").SubscribeAsync("*", every.Enqueue, cancellationToken: ct);
        Assert.True(listener.Realtime.IsConnected);

        await posts.CreateAsync(new { title = "quiet", views = 1 }, cancellationToken: ct);
        var loud = await posts.CreateAsync(new { title = "loud", views = 50 }, cancellationToken: ct);
        await WaitUntilAsync(() => every.Count == 2 && popular.Count == 1, "two events, one of them filtered", ct);
        Assert.True(popular.TryPeek(out var e));
        Assert.Equal("create", e.Action);
        Assert.Equal("loud", e.Record.Title);

        // The server drops every stream: the client reconnects (a new client id) and posts its subscriptions again.
        var firstId = listener.Realtime.ClientId;
        app.Services.GetRequiredService<RealtimeBroker>().DisconnectProject("main");
        await WaitUntilAsync(() => connects >= 2 && listener.Realtime.IsConnected && listener.Realtime.ClientId != firstId, "the reconnect", ct);
        await posts.UpdateAsync(Str(loud, "id"), new { views = 60 }, cancellationToken: ct);
        await WaitUntilAsync(() => every.Count == 3 && popular.Count == 2, "events after the reconnect", ct);
        Assert.Equal("update", every.Last().Action);
        Assert.Equal(60, every.Last().Record.Views);

        // Unsubscribing one listener keeps the other.
        await sub.DisposeAsync();
        await posts.DeleteAsync(Str(loud, "id"), cancellationToken: ct);
        await WaitUntilAsync(() => every.Count == 4, "the delete event", ct);
        Assert.Equal(2, popular.Count);
        Assert.Equal("delete", every.Last().Action);

        await listener.Realtime.UnsubscribeAsync(cancellationToken: ct);
        Assert.False(listener.Realtime.IsConnected);
    }
}
