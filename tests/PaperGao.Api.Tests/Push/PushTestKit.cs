using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>What the push tests share: enabling Web Push, registering stand-in subscriptions, waiting for a send's log.</summary>
internal static class PushTestKit
{
    public const string Subject = "mailto:ops@papergao.test";

    /// <summary>Generates the VAPID keys and enables Web Push; returns the public key.</summary>
    public static async Task<string> EnableAsync(HttpClient su, CancellationToken ct, int? maxRecipients = null)
    {
        var (status, keys) = await SendAsync(su, HttpMethod.Post, "/api/push/vapid-keys", null, ct);
        Assert.True(status == 200, keys?.ToJsonString());
        var push = new JsonObject { ["enabled"] = true, ["subject"] = Subject };
        if (maxRecipients is { } m) push["maxRecipients"] = m;
        var (patched, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new JsonObject { ["push"] = push }, ct);
        Assert.True(patched == 200, body?.ToJsonString());
        return keys!["vapidPublicKey"]!.GetValue<string>();
    }

    /// <summary>Registers a stand-in subscription as the client's user; returns (stand-in id, device id).</summary>
    public static async Task<(string Sub, string Device)> RegisterAsync(HttpClient user, TestPushServer push, CancellationToken ct, string[]? topics = null, int status = 201, object[]? script = null)
    {
        var s = (await push.SubscribeAsync(ct, 1, status, script))[0]!;
        var (code, device) = await SendAsync(user, HttpMethod.Post, "/api/push/devices",
            new JsonObject { ["platform"] = "web", ["subscription"] = s["subscription"]!.DeepClone(), ["topics"] = new JsonArray([.. (topics ?? []).Select(t => (JsonNode)t)]) }, ct);
        Assert.True(code == 200, device?.ToJsonString());
        return (s["id"]!.GetValue<string>(), device!["id"]!.GetValue<string>());
    }

    /// <summary>Queues a send (202) and returns its id.</summary>
    public static async Task<string> SendAsync202(HttpClient sender, object body, CancellationToken ct)
    {
        var (status, log) = await SendAsync(sender, HttpMethod.Post, "/api/push/send", body, ct);
        Assert.True(status == 202, log?.ToJsonString());
        Assert.Equal("queued", log!["status"]!.GetValue<string>());
        return log["id"]!.GetValue<string>();
    }

    /// <summary>Waits (deadline 30 s) for a send's log to reach "done" or "failed".</summary>
    public static async Task<JsonNode> WaitForSendAsync(HttpClient su, string id, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var log = await GetJsonAsync(su, "/api/push/sends/" + id, ct);
            var status = log["status"]!.GetValue<string>();
            if (status is "done" or "failed") return log;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("send not finished: " + log.ToJsonString());
            await Task.Delay(50, ct);
        }
    }

    /// <summary>Stores devices straight into the default project (for audiences too large to sign in one by one).</summary>
    public static async Task StoreDeviceAsync(PaperGaoApp app, string collectionId, string userId, JsonNode subscription, CancellationToken ct)
    {
        var project = await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct);
        var now = Core.Common.DateTimes.Now();
        var keys = subscription["keys"]!;
        await PushDeviceStore.UpsertAsync(project!.Database, new PushDevice(PushDeviceStore.NewId(), collectionId, userId, PushDevice.Web,
            subscription["endpoint"]!.GetValue<string>(), keys["p256dh"]!.GetValue<string>(), keys["auth"]!.GetValue<string>(), [], now, now), ct);
    }
}
