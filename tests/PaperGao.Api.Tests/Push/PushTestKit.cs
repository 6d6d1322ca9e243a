using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Push;
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

    public const string FcmProject = "papergao-test";
    public const string FcmClientEmail = "push@papergao-test.iam.gserviceaccount.com";
    public const string ApnsKeyId = "KEY1234567";
    public const string ApnsTeamId = "TEAM123456";
    public const string ApnsTopic = "com.papergao.test";

    /// <summary>A service-account key file like the Firebase console's, with a fresh RSA key; returns (JSON text, public key PEM).</summary>
    public static (string Json, string PublicKeyPem) ServiceAccount()
    {
        using var rsa = RSA.Create(2048);
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = FcmProject,
            ["private_key_id"] = "0123456789abcdef",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = FcmClientEmail,
            ["token_uri"] = "https://oauth2.googleapis.com/token",
        }.ToJsonString();
        return (json, rsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>A .p8 key like Apple's (P-256, PKCS#8 PEM); returns (private PEM, public PEM).</summary>
    public static (string P8, string PublicKeyPem) ApnsKey()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (ec.ExportPkcs8PrivateKeyPem(), ec.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Configures and switches on FCM against the stand-in (which verifies with <paramref name="standInKeyPem"/>, by default the account's own key).</summary>
    public static async Task EnableFcmAsync(HttpClient su, TestPushServer push, CancellationToken ct, string? standInKeyPem = null)
    {
        var (json, publicKey) = ServiceAccount();
        await push.ConfigureFcmAsync(FcmProject, FcmClientEmail, standInKeyPem ?? publicKey, ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new JsonObject
        {
            ["push"] = new JsonObject { ["fcmEnabled"] = true, ["fcmServiceAccount"] = json, ["fcmEndpoint"] = push.FcmEndpoint, ["fcmTokenUrl"] = push.FcmTokenUrl },
        }, ct);
        Assert.True(status == 200, body?.ToJsonString());
    }

    /// <summary>
    /// Configures and switches on APNs against the stand-in (HTTP/2 + TLS); the app's APNs deliveries use a client that
    /// trusts the stand-in's certificate (and nothing else beyond the usual).
    /// </summary>
    public static async Task EnableApnsAsync(PaperGaoApp app, HttpClient su, TestPushServer push, CancellationToken ct, string? standInKeyPem = null)
    {
        var (p8, publicKey) = ApnsKey();
        await push.ConfigureApnsAsync(ApnsKeyId, ApnsTeamId, ApnsTopic, standInKeyPem ?? publicKey, ct);
        app.Services.GetRequiredService<PushQueues>().ApnsClient = push.TrustingClient();
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new JsonObject
        {
            ["push"] = new JsonObject
            {
                ["apnsEnabled"] = true, ["apnsKeyId"] = ApnsKeyId, ["apnsTeamId"] = ApnsTeamId, ["apnsPrivateKey"] = p8,
                ["apnsTopic"] = ApnsTopic, ["apnsEndpoint"] = push.ApnsEndpoint,
            },
        }, ct);
        Assert.True(status == 200, body?.ToJsonString());
    }

    /// <summary>Registers an FCM or APNs token of the stand-in as the client's user; returns (token, device id).</summary>
    public static async Task<(string Token, string Device)> RegisterTokenAsync(HttpClient user, TestPushServer push, string platform, CancellationToken ct, string[]? topics = null, int status = 200, object[]? script = null)
    {
        var token = (await push.DeviceTokensAsync(platform, ct, 1, status, script))[0];
        var (code, device) = await SendAsync(user, HttpMethod.Post, "/api/push/devices",
            new JsonObject { ["platform"] = platform, ["token"] = token, ["topics"] = new JsonArray([.. (topics ?? []).Select(t => (JsonNode)t)]) }, ct);
        Assert.True(code == 200, device?.ToJsonString());
        Assert.Equal(token, device!["token"]!.GetValue<string>());
        return (token, device["id"]!.GetValue<string>());
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

    /// <summary>Waits (deadline <paramref name="timeout"/>, by default 30 s) for a send's log to reach "done" or "failed".</summary>
    public static async Task<JsonNode> WaitForSendAsync(HttpClient su, string id, CancellationToken ct, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
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
        var now = Core.Common.DateTimes.Now(TimeProvider.System);
        var keys = subscription["keys"]!;
        await PushDeviceStore.UpsertAsync(project!.Database, new PushDevice(PushDeviceStore.NewId(), collectionId, userId, PushDevice.Web,
            subscription["endpoint"]!.GetValue<string>(), keys["p256dh"]!.GetValue<string>(), keys["auth"]!.GetValue<string>(), [], now, now), ct);
    }
}
