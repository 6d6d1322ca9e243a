using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Push;

/// <summary>The "push" settings section: VAPID keys made on request, the private key write-only, validation.</summary>
public sealed class PushSettingsTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Vapid_keys_are_generated_on_request_and_the_private_key_never_comes_back(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        var before = await GetJsonAsync(su, "/api/settings", ct);
        Assert.False(before["push"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("", before["push"]!["vapidPublicKey"]!.GetValue<string>());
        Assert.Null(before["push"]!["vapidPrivateKey"]);

        var (status, generated) = await SendAsync(su, HttpMethod.Post, "/api/push/vapid-keys", null, ct);
        Assert.Equal(200, status);
        var publicKey = generated!["vapidPublicKey"]!.GetValue<string>();
        Assert.Equal(87, publicKey.Length); // 65 bytes, unpadded base64url
        Assert.Null(generated["vapidPrivateKey"]);

        // Stored (the raw settings row holds it), but neither GET nor PATCH answers show it.
        var stored = JsonNode.Parse((await Users.ReadRawAsync(app, "_params", "value", "settings", ct))!)!;
        var privateKey = stored["push"]!["vapidPrivateKey"]!.GetValue<string>();
        Assert.Equal(43, privateKey.Length); // 32 bytes
        var settings = await GetJsonAsync(su, "/api/settings", ct);
        Assert.Equal(publicKey, settings["push"]!["vapidPublicKey"]!.GetValue<string>());
        Assert.DoesNotContain(privateKey, settings.ToJsonString(), StringComparison.Ordinal);
        var (patched, after) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { push = new { enabled = true, subject = "https://example.test/contact" } }, ct);
        Assert.Equal(200, patched);
        Assert.DoesNotContain(privateKey, after!.ToJsonString(), StringComparison.Ordinal);
        Assert.True(after["push"]!["enabled"]!.GetValue<bool>());
        // A PATCH without the private key keeps it.
        stored = JsonNode.Parse((await Users.ReadRawAsync(app, "_params", "value", "settings", ct))!)!;
        Assert.Equal(privateKey, stored["push"]!["vapidPrivateKey"]!.GetValue<string>());

        // Anyone may read the public key; only a signed-in superuser may replace the pair.
        var pub = await GetJsonAsync(app.Client, "/api/push/vapid-public-key", ct);
        Assert.Equal(publicKey, pub["publicKey"]!.GetValue<string>());
        Assert.DoesNotContain(privateKey, pub.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, "/api/push/vapid-keys", null, ct)).Status);
        var (_, again) = await SendAsync(su, HttpMethod.Post, "/api/push/vapid-keys", null, ct);
        Assert.NotEqual(publicKey, again!["vapidPublicKey"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Bad_push_settings_are_refused_and_nothing_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await app.SuperuserClientAsync(ct);
        await SendAsync(su, HttpMethod.Post, "/api/push/vapid-keys", null, ct);
        var other = (await SendAsync(su, HttpMethod.Post, "/api/push/vapid-keys", null, ct)).Body!["vapidPublicKey"]!.GetValue<string>();
        var before = (await GetJsonAsync(su, "/api/settings", ct))["push"]!.ToJsonString();

        (object Push, string Field, string Code)[] bad =
        [
            (new { enabled = true }, "subject", "validation_required"),
            (new { subject = "http://example.test" }, "subject", "validation_invalid_subject"),
            (new { subject = "mailto:" }, "subject", "validation_invalid_subject"),
            (new { vapidPrivateKey = "AAAA" }, "vapidPublicKey", "validation_invalid_vapid_keys"),
            (new { vapidPrivateKey = "c2VjcmV0LXRoYXQtZG9lcy1ub3QtbWF0Y2gtdGhlLWtleQ" }, "vapidPublicKey", "validation_invalid_vapid_keys"),
            (new { maxRecipients = 0 }, "maxRecipients", "validation_invalid_value"),
            (new { maxRecipients = 5_000_000 }, "maxRecipients", "validation_invalid_value"),
            (new { enabled = "yes" }, "enabled", "validation_invalid_value"),
        ];
        foreach (var (push, field, code) in bad)
        {
            var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { push }, ct);
            var text = System.Text.Json.JsonSerializer.Serialize(push);
            Assert.True(status == 400, text + " -> " + status);
            Assert.True(body!["data"]?["push"]?[field]?["code"]?.GetValue<string>() == code, text + " -> " + body.ToJsonString());
        }
        Assert.Equal(before, (await GetJsonAsync(su, "/api/settings", ct))["push"]!.ToJsonString());
        Assert.Equal(other, JsonNode.Parse(before)!["vapidPublicKey"]!.GetValue<string>());
    }
}
