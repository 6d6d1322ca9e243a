using Microsoft.Extensions.DependencyInjection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>Settings that would break the project are refused and the old ones kept; test/s3 and the Apple secret endpoint.</summary>
public sealed class SettingsValidationTests(PostgresCluster postgres)
{
    private static string Code(JsonNode err, string section, string field) => err["data"]![section]![field]!["code"]!.GetValue<string>();

    [Theory]
    [DatabaseMatrix]
    public async Task Broken_smtp_s3_and_log_settings_are_400_and_nothing_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var before = (await GetJsonAsync(su, "/api/settings", ct)).ToJsonString();

        var (s1, e1) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { enabled = true, host = "", port = 99999 }, meta = new { appName = "changed" } }, ct);
        Assert.Equal(400, s1);
        Assert.Equal("validation_required", Code(e1!, "smtp", "host"));
        Assert.Equal("validation_max_less_equal_than_required", Code(e1!, "smtp", "port"));
        var (s2, e2) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { enabled = true, host = "bad host!", port = 25, authMethod = "CRAM" } }, ct);
        Assert.Equal(400, s2);
        Assert.Equal("validation_is_host", Code(e2!, "smtp", "host"));
        Assert.Equal("validation_in_invalid", Code(e2!, "smtp", "authMethod"));
        var (s3, e3) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { logs = new { maxDays = -1 } }, ct);
        Assert.Equal(400, s3);
        Assert.Equal("validation_min_greater_equal_than_required", Code(e3!, "logs", "maxDays"));
        var (s4, e4) = await SendAsync(su, HttpMethod.Patch, "/api/settings", new { s3 = new { enabled = true, bucket = "", endpoint = "not a url" } }, ct);
        Assert.Equal(400, s4);
        Assert.Equal("validation_required", Code(e4!, "s3", "bucket"));
        Assert.Equal("validation_is_url", Code(e4!, "s3", "endpoint"));
        // Complete but unusable S3 settings fail the bucket check (nothing listens on port 9 here).
        var (s5, e5) = await SendAsync(su, HttpMethod.Patch, "/api/settings",
            new { s3 = new { enabled = true, bucket = "b", region = "us-east-1", endpoint = "http://127.0.0.1:9", accessKey = "a", secret = "s", forcePathStyle = true } }, ct);
        Assert.Equal(400, s5);
        Assert.Equal("validation_s3_check_failed", Code(e5!, "s3", "bucket"));

        Assert.Equal(before, (await GetJsonAsync(su, "/api/settings", ct)).ToJsonString());
        // Files still work (the storage did not switch to the broken bucket).
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { smtp = new { enabled = false, host = "mail.example.com", port = 587 }, logs = new { maxDays = 0 } }, ct)).Status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_partial_nested_patch_or_a_round_trip_of_get_keeps_the_stored_secrets(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var s3 = new { enabled = false, bucket = "b", region = "us-east-1", endpoint = "https://s3.example.com", accessKey = "ak", secret = "s3-secret", forcePathStyle = true };
        var backupsS3 = new { enabled = false, bucket = "bb", region = "us-east-1", endpoint = "https://s3.example.com", accessKey = "bak", secret = "backup-secret", forcePathStyle = true };
        var smtp = new { enabled = false, host = "mail.example.com", port = 587, username = "u", password = "smtp-password" };
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { s3, smtp, backups = new { s3 = backupsS3 } }, ct)).Status);

        // Part of a nested section: the other keys, secrets included, keep their stored values.
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { backups = new { s3 = new { bucket = "other" } } }, ct)).Status);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", new { s3 = new { bucket = "other" }, smtp = new { host = "other.example.com" } }, ct)).Status);
        // A client saving back what GET returned (the secrets are left out there).
        var got = await GetJsonAsync(su, "/api/settings", ct);
        Assert.Null(got["backups"]!["s3"]!["secret"]);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/settings", got, ct)).Status);

        var project = (await app.Services.GetRequiredService<Core.Projects.ProjectRegistry>().GetAsync("main", ct))!;
        var stored = Core.Settings.SettingsJson.ToJson(project.Settings, includeSecrets: true);
        Assert.Equal("other", stored["backups"]!["s3"]!["bucket"]!.GetValue<string>());
        Assert.Equal("bak", stored["backups"]!["s3"]!["accessKey"]!.GetValue<string>());
        Assert.Equal("https://s3.example.com", stored["backups"]!["s3"]!["endpoint"]!.GetValue<string>());
        Assert.Equal("backup-secret", stored["backups"]!["s3"]!["secret"]!.GetValue<string>());
        Assert.Equal("other", stored["s3"]!["bucket"]!.GetValue<string>());
        Assert.Equal("s3-secret", stored["s3"]!["secret"]!.GetValue<string>());
        Assert.Equal("other.example.com", stored["smtp"]!["host"]!.GetValue<string>());
        Assert.Equal("smtp-password", stored["smtp"]!["password"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Test_s3_checks_its_input_and_the_saved_settings(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        const string url = "/api/settings/test/s3";
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, url, new { filesystem = "storage" }, ct)).Status);
        var (s1, e1) = await SendAsync(su, HttpMethod.Post, url, null, ct);
        Assert.Equal(400, s1);
        Assert.Equal("validation_required", e1!["data"]!["filesystem"]!["code"]!.GetValue<string>());
        var (s2, e2) = await SendAsync(su, HttpMethod.Post, url, new { filesystem = "invalid" }, ct);
        Assert.Equal(400, s2);
        Assert.Equal("validation_in_invalid", e2!["data"]!["filesystem"]!["code"]!.GetValue<string>());
        var (s3, e3) = await SendAsync(su, HttpMethod.Post, url, new { filesystem = "storage" }, ct);
        Assert.Equal(400, s3);
        Assert.Empty(e3!["data"]!.AsObject());
        Assert.Contains("not enabled", e3["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, (await SendAsync(su, HttpMethod.Post, url, new { filesystem = "backups" }, ct)).Status);

        await using var s3server = await TestS3Server.StartAsync(ct);
        await s3server.ConfigureAsync(app, ct); // the PATCH itself runs the same check
        Assert.Equal(204, (await SendAsync(su, HttpMethod.Post, url, new { filesystem = "storage" }, ct)).Status);
        Assert.Empty(Directory.EnumerateFiles(s3server.Folder, "*test.txt*", SearchOption.AllDirectories));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Apple_client_secret_is_an_es256_jwt_and_bad_input_is_400(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        const string url = "/api/settings/apple/generate-client-secret";
        Assert.Equal(401, (await SendAsync(app.Client, HttpMethod.Post, url, new { }, ct)).Status);
        var (s1, e1) = await SendAsync(su, HttpMethod.Post, url, new { }, ct);
        Assert.Equal(400, s1);
        foreach (var f in new[] { "clientId", "teamId", "keyId", "privateKey", "duration" })
            Assert.Equal("validation_required", e1!["data"]![f]!["code"]!.GetValue<string>());
        var (s2, e2) = await SendAsync(su, HttpMethod.Post, url, new { clientId = "", teamId = "123456789", keyId = "123456789", privateKey = "invalid", duration = -1 }, ct);
        Assert.Equal(400, s2);
        Assert.Equal("validation_length_invalid", e2!["data"]!["teamId"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_match_invalid", e2["data"]!["privateKey"]!["code"]!.GetValue<string>());
        Assert.Equal("validation_min_greater_equal_than_required", e2["data"]!["duration"]!["code"]!.GetValue<string>());
        // A well-formed but unusable key: 400, not 500.
        var (s3, _) = await SendAsync(su, HttpMethod.Post, url, new { clientId = "c", teamId = "1234567890", keyId = "1234567890", privateKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", duration = 60 }, ct);
        Assert.Equal(400, s3);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var (ok, body) = await SendAsync(su, HttpMethod.Post, url, new { clientId = "com.example.app", teamId = "ABCDE12345", keyId = "KEY1234567", privateKey = pem, duration = 3600 }, ct);
        Assert.Equal(200, ok);
        var parts = body!["secret"]!.GetValue<string>().Split('.');
        static byte[] B64(string s) => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
        var header = JsonNode.Parse(B64(parts[0]))!;
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.Equal("KEY1234567", header["kid"]!.GetValue<string>());
        var claims = JsonNode.Parse(B64(parts[1]))!;
        Assert.Equal("ABCDE12345", claims["iss"]!.GetValue<string>());
        Assert.Equal("com.example.app", claims["sub"]!.GetValue<string>());
        Assert.Equal("https://appleid.apple.com", claims["aud"]!.GetValue<string>());
        Assert.Equal(3600, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), B64(parts[2]), HashAlgorithmName.SHA256));
    }
}
