using System.Diagnostics;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Realtime.RealtimeHttp;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>Two server processes on one PostgreSQL database: events cross nodes through LISTEN/NOTIFY, rules still applied.</summary>
public sealed class RealtimeClusterTests(PostgresCluster postgres)
{
    [Fact]
    public async Task A_write_on_node_A_reaches_a_subscriber_of_node_B_within_a_second_with_rules_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(ct);
        await using var a = await RealtimeNode.StartAsync(database.ConnectionString, ct);
        await using var b = await RealtimeNode.StartAsync(database.ConnectionString, ct, createSuperuser: false);

        // Schema created on A; B learns it through the bus (its own snapshot is reloaded).
        await CreateMessagesAsync(a.Superuser, ct, rule: "room = \"public\" || owner = @request.auth.id");
        var (status, user) = await SendAsync(a.Guest, HttpMethod.Post, "/api/collections/users/records",
            new { email = "carol@example.com", password = "Carol-password-1", passwordConfirm = "Carol-password-1" }, ct);
        Assert.Equal(200, status);
        var carol = user!["id"]!.GetValue<string>();
        await Eventually.UntilAsync(async () => (await b.Superuser.GetAsync("/api/collections/messages", ct)).IsSuccessStatusCode, ct);

        var (_, auth) = await SendAsync(b.Guest, HttpMethod.Post, "/api/collections/users/auth-with-password", new { identity = "carol@example.com", password = "Carol-password-1" }, ct);
        using var carolOnB = b.NewClient();
        carolOnB.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        await using var guestStream = await SseStream.OpenAsync(b.NewClient(), ct);
        await using var carolStream = await SseStream.OpenAsync(b.NewClient(), ct);
        Assert.Equal(204, await SubscribeAsync(b.Guest, guestStream.ClientId, ct, "messages/*"));
        Assert.Equal(204, await SubscribeAsync(carolOnB, carolStream.ClientId, ct, WithOptions("messages/*", new JsonObject { ["query"] = new JsonObject { ["expand"] = "owner" } })));

        var sw = Stopwatch.StartNew();
        var privateId = await CreateMessageAsync(a.Superuser, new { text = "for carol", owner = carol, secret = "x" }, ct);
        var f = await carolStream.NextAsync(ct, TimeSpan.FromSeconds(1));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(1), $"took {sw.Elapsed}");
        Assert.Equal(privateId, f.Json["record"]!["id"]!.GetValue<string>());
        Assert.Equal("carol@example.com", f.Json["record"]!["expand"]!["owner"]!["email"]!.GetValue<string>()); // her own email
        Assert.Null(f.Json["record"]!["secret"]);

        var publicId = await CreateMessageAsync(a.Superuser, new { text = "all", room = "public" }, ct);
        Assert.Equal(publicId, (await guestStream.NextAsync(ct, TimeSpan.FromSeconds(1))).Json["record"]!["id"]!.GetValue<string>()); // not the private one
        Assert.Equal(publicId, (await carolStream.NextAsync(ct, TimeSpan.FromSeconds(1))).Json["record"]!["id"]!.GetValue<string>());

        // A delete on A: B cannot read the row any more; the notice carries it (a large row goes in chunks).
        var big = new string('z', 20_000);
        Assert.Equal(200, (await SendAsync(a.Superuser, HttpMethod.Patch, "/api/collections/messages/records/" + privateId, new { text = big }, ct)).Status);
        Assert.Equal(big, (await carolStream.NextAsync(ct, TimeSpan.FromSeconds(1))).Json["record"]!["text"]!.GetValue<string>());
        Assert.Equal(204, (await SendAsync(a.Superuser, HttpMethod.Delete, "/api/collections/messages/records/" + privateId, null, ct)).Status);
        var del = await carolStream.NextAsync(ct, TimeSpan.FromSeconds(1));
        Assert.Equal("delete", del.Json["action"]!.GetValue<string>());
        Assert.Equal(big, del.Json["record"]!["text"]!.GetValue<string>());
        Assert.Equal(204, (await SendAsync(a.Superuser, HttpMethod.Delete, "/api/collections/messages/records/" + publicId, null, ct)).Status);
        Assert.Equal(publicId, (await guestStream.NextAsync(ct, TimeSpan.FromSeconds(1))).Json["record"]!["id"]!.GetValue<string>());
        Assert.True(guestStream.IsEmpty);
    }
}
