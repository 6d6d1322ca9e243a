using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>Shared steps of the realtime tests: the messages schema, subscribing, option encoding.</summary>
internal static class RealtimeHttp
{
    /// <summary>"messages": text, room, secret (hidden), owner → users; list/view rule = owner is the caller (or the room is public).</summary>
    public static async Task CreateMessagesAsync(HttpClient su, CancellationToken ct, string rule = "owner = @request.auth.id || room = \"public\"")
    {
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "messages",
            ["type"] = "base",
            ["listRule"] = rule,
            ["viewRule"] = rule,
            ["fields"] = new JsonArray(
                new JsonObject { ["name"] = "text", ["type"] = "text", ["max"] = 100_000 },
                new JsonObject { ["name"] = "room", ["type"] = "text" },
                new JsonObject { ["name"] = "secret", ["type"] = "text", ["hidden"] = true },
                new JsonObject { ["name"] = "owner", ["type"] = "relation", ["collectionId"] = "_pb_users_auth_", ["maxSelect"] = 1 }),
        }, ct);
    }

    public static async Task<int> SubscribeAsync(HttpClient client, string clientId, CancellationToken ct, params string[] subscriptions)
    {
        using var r = await client.PostAsJsonAsync("/api/realtime", new { clientId, subscriptions }, ct);
        return (int)r.StatusCode;
    }

    /// <summary>The key the JS SDK builds: topic + "?options=" + encodeURIComponent(JSON.stringify({query, headers})).</summary>
    public static string WithOptions(string topic, JsonObject options) => topic + "?options=" + Uri.EscapeDataString(options.ToJsonString());

    public static async Task<string> CreateMessageAsync(HttpClient su, object body, CancellationToken ct)
    {
        var (status, rec) = await SendAsync(su, HttpMethod.Post, "/api/collections/messages/records", body, ct);
        if (status != 200) throw new InvalidOperationException($"create message failed: {status} {rec?.ToJsonString()}");
        return rec!["id"]!.GetValue<string>();
    }
}
