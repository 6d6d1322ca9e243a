using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;

namespace PaperGao.Api.Tests.Client;

/// <summary>PaperGao.Client against the in-process server: clients, a signed-in superuser client, a shop schema made through the client.</summary>
internal static class ClientTestKit
{
    /// <summary>A client whose requests go into the test server (its HttpClient is the host's).</summary>
    public static PaperGaoClient Guest(PaperGaoApp app, AuthStore? store = null) => new("http://localhost", store, app.CreateClient());

    public static async Task<PaperGaoClient> SuperuserAsync(PaperGaoApp app, CancellationToken ct)
    {
        await app.SuperuserTokenAsync(ct); // upserts the superuser
        var pb = Guest(app);
        await pb.Collection("_superusers").AuthWithPasswordAsync(PaperGaoApp.SuperuserEmail, PaperGaoApp.SuperuserPassword, cancellationToken: ct);
        return pb;
    }

    /// <summary>tags and posts (public rules; posts.tags → tags, posts.cover/gallery files), created with the collections service.</summary>
    public static async Task CreateShopAsync(PaperGaoClient su, CancellationToken ct)
    {
        var tags = await su.Collections.CreateAsync(new
        {
            name = "tags", type = "base", listRule = "", viewRule = "", createRule = "", updateRule = "", deleteRule = "",
            fields = new object[] { new { name = "name", type = "text", required = true } },
        }, cancellationToken: ct);
        await su.Collections.CreateAsync(new
        {
            name = "posts", type = "base", listRule = "", viewRule = "", createRule = "", updateRule = "", deleteRule = "",
            fields = new object[]
            {
                new { name = "title", type = "text", required = true },
                new { name = "views", type = "number" },
                new { name = "status", type = "select", values = new[] { "draft", "live" }, maxSelect = 1 },
                new { name = "tags", type = "relation", collectionId = tags["id"]!.GetValue<string>(), maxSelect = 5 },
                new { name = "cover", type = "file", maxSelect = 1, thumbs = new[] { "20x20" } },
                new { name = "secret", type = "file", maxSelect = 1, @protected = true },
                new { name = "created", type = "autodate", onCreate = true },
            },
        }, cancellationToken: ct);
    }

    public static string Str(JsonObject o, string key) => o[key]!.GetValue<string>();

    /// <summary>Waits (with a deadline, no sleeps as synchronization) until <paramref name="condition"/> holds.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken ct, int seconds = 20) =>
        Eventually.UntilAsync(condition, ct, what, TimeSpan.FromSeconds(seconds));
}
