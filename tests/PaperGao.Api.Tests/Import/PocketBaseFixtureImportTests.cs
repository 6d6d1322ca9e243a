using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Files;
using PaperGao.Core.Import.PocketBase;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Import;

/// <summary>
/// Imports PocketBase's own test pb_data and checks that a server started on the result answers as PocketBase would:
/// same records (ids and values), its superuser signs in with its password, tokens signed with PocketBase's secrets are
/// accepted, rules hold, files are the same bytes, settings moved.
/// </summary>
public sealed class PocketBaseFixtureImportTests(PostgresCluster postgres)
{
    private const string SuperuserEmail = "test@example.com";
    private const string FixturePassword = "1234567890"; // the password of every account in PocketBase's tests/data

    [Theory]
    [DatabaseMatrix]
    public async Task Imported_fixture_serves_the_same_records_users_tokens_rules_files_and_settings(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var pbData = PocketBaseFixture.Dir();
        ImportReport? report = null;
        long logRows = 0;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, async target =>
        {
            report = await ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = pbData, Logs = true }, ct: ct);
            // With --logs, auxiliary.db's request log is in the project's log database (before the server's retention,
            // which drops it later: the fixture's log is older than its logs.maxDays).
            await using var registry = ImportRunner.Registry(target);
            await using var logs = await registry.Provider.OpenLogsAsync("main", ct);
            logRows = Convert.ToInt64(await logs.ReadAsync(conn => logs.ScalarAsync(conn, null,
                $"SELECT COUNT(*) FROM {logs.Dialect.Quote("_logs")} WHERE {logs.Dialect.Quote("id")} = 'zqj48gjhf7zj0nk' AND {logs.Dialect.Quote("created")} = '2026-05-14 18:15:28.528Z'", null, ct), ct),
                System.Globalization.CultureInfo.InvariantCulture);
        }, ct);

        Assert.NotNull(report);
        Assert.Equal(1, report.Logs);
        Assert.Equal(1, logRows);
        Assert.Equal(3, report.Find("users")!.Records);
        Assert.Equal(4, report.Find("_superusers")!.Records);
        Assert.Equal(7, report.Find("demo1")!.Files);
        Assert.Contains(report.Skipped, s => s.Contains("_migrations", StringComparison.Ordinal));

        // A superuser of the fixture signs in with its password (bcrypt hash imported as is).
        using var signIn = await app.Client.PostAsJsonAsync("/api/collections/_superusers/auth-with-password",
            new { identity = SuperuserEmail, password = FixturePassword }, ct);
        var signInBody = JsonNode.Parse(await signIn.Content.ReadAsStringAsync(ct))!;
        Assert.True(signIn.IsSuccessStatusCode, signInBody.ToJsonString());
        var su = app.CreateClient();
        su.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", signInBody["token"]!.GetValue<string>());
        Assert.Equal(400, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/_superusers/auth-with-password",
            new { identity = SuperuserEmail, password = "wrong-password" }, ct)).Status);

        // Every collection keeps its created time, the system collections both products have included: a list sorted by
        // -created pages as PocketBase's does (its scenario collection_test.go:77 puts _mfas first on page 2).
        var created = FixtureData.Rows(pbData, "SELECT name, created FROM _collections").ToDictionary(r => (string)r["name"]!, r => (string)r["created"]!);
        var collections = await GetJsonAsync(su, "/api/collections?perPage=100", ct);
        foreach (var c in collections["items"]!.AsArray())
        {
            var name = c!["name"]!.GetValue<string>();
            if (created.TryGetValue(name, out var when)) Assert.Equal((name, when), (name, c["created"]!.GetValue<string>()));
        }
        var page2 = await GetJsonAsync(su, "/api/collections?page=2&perPage=2&sort=-created", ct);
        Assert.Equal("_mfas", page2["items"]![0]!["name"]!.GetValue<string>());

        // Every record of every collection, with the same ids.
        foreach (var (name, _) in FixtureData.Tables(pbData))
        {
            var expected = FixtureData.Rows(pbData, $"SELECT id FROM \"{name}\"").Select(r => (string)r["id"]!).Order(StringComparer.Ordinal).ToList();
            var list = await GetJsonAsync(su, $"/api/collections/{name}/records?perPage=500", ct);
            var actual = list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
            // Signing in above recorded the new device in _authOrigins: there the fixture's rows are a subset.
            var same = name == "_authOrigins" ? expected.All(actual.Contains) && actual.Count == expected.Count + 1 : expected.SequenceEqual(actual);
            Assert.True(same, $"{name}: expected [{string.Join(",", expected)}], got [{string.Join(",", actual)}]");
        }

        // Values as stored by PocketBase, including created/updated.
        foreach (var row in FixtureData.Rows(pbData, "SELECT id, text, bool, number, select_many, json, point, rel_many, file_many, created, updated FROM demo1"))
        {
            var r = await GetJsonAsync(su, $"/api/collections/demo1/records/{row["id"]}", ct);
            Assert.Equal((string)row["text"]!, r["text"]!.GetValue<string>());
            Assert.Equal((long)row["bool"]! != 0, r["bool"]!.GetValue<bool>());
            Assert.Equal(Convert.ToDouble(row["number"], System.Globalization.CultureInfo.InvariantCulture), r["number"]!.GetValue<double>(), 6);
            foreach (var key in (string[])["select_many", "json", "point", "rel_many", "file_many"])
                Assert.True(JsonNode.DeepEquals(JsonNode.Parse((string)row[key]!), r[key]), $"demo1 {row["id"]}.{key}: {row[key]} vs {r[key]?.ToJsonString()}");
            Assert.Equal((string)row["created"]!, r["created"]!.GetValue<string>());
            Assert.Equal((string)row["updated"]!, r["updated"]!.GetValue<string>());
        }

        // A token signed with a user's tokenKey and the users collection's auth secret is accepted; rules apply as in PocketBase.
        var user = FixtureData.Rows(pbData, "SELECT id, tokenKey FROM users WHERE id = '4q1xlclmfloku33'")[0];
        var token = HandSignedJwt.Sign(new JsonObject
        {
            ["collectionId"] = "_pb_users_auth_", ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            ["id"] = "4q1xlclmfloku33", ["refreshable"] = true, ["type"] = "auth",
        }, (string)user["tokenKey"]! + FixtureData.Secret(pbData, "users", "authToken"));
        var asUser = app.CreateClient();
        asUser.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        Assert.Equal(200, (await SendAsync(asUser, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status);
        Assert.Equal(200, (await SendAsync(asUser, HttpMethod.Get, "/api/collections/users/records/4q1xlclmfloku33", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/users/records/4q1xlclmfloku33", null, ct)).Status);
        Assert.Equal(404, (await SendAsync(asUser, HttpMethod.Get, "/api/collections/users/records/oap640cot4yru2s", null, ct)).Status);
        // users.listRule is null in the fixture: superusers only, as in PocketBase.
        Assert.Equal(403, (await SendAsync(asUser, HttpMethod.Get, "/api/collections/users/records", null, ct)).Status);
        // view1: listRule @request.auth.id != "" && bool = true
        Assert.Empty((await GetJsonAsync(app.Client, "/api/collections/view1/records", ct))["items"]!.AsArray());
        var viewed = await GetJsonAsync(asUser, "/api/collections/view1/records", ct);
        var expectedView = FixtureData.Rows(pbData, "SELECT id FROM demo1 WHERE bool = 1").Select(r => (string)r["id"]!);
        Assert.Equal(expectedView, viewed["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        // demo3 refuses users of "users" but lets "clients" in.
        Assert.Empty((await GetJsonAsync(asUser, "/api/collections/demo3/records", ct))["items"]!.AsArray());
        var client = FixtureData.Rows(pbData, "SELECT id, tokenKey FROM clients ORDER BY id LIMIT 1")[0];
        var asClient = app.CreateClient();
        asClient.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", HandSignedJwt.Sign(new JsonObject
        {
            ["collectionId"] = "v851q4r790rhknl", ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            ["id"] = (string)client["id"]!, ["refreshable"] = true, ["type"] = "auth",
        }, (string)client["tokenKey"]! + FixtureData.Secret(pbData, "clients", "authToken")));
        Assert.Equal(4, (await GetJsonAsync(asClient, "/api/collections/demo3/records", ct))["items"]!.AsArray().Count);
        // A token signed with another secret is refused.
        var forged = HandSignedJwt.Sign(new JsonObject
        {
            ["collectionId"] = "_pb_users_auth_", ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            ["id"] = "4q1xlclmfloku33", ["refreshable"] = true, ["type"] = "auth",
        }, (string)user["tokenKey"]! + "not-the-secret");
        var asForged = app.CreateClient();
        asForged.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", forged);
        Assert.Equal(401, (await SendAsync(asForged, HttpMethod.Post, "/api/collections/users/auth-refresh", null, ct)).Status);

        // Settings moved (app name from _params).
        var settings = await GetJsonAsync(su, "/api/settings", ct);
        Assert.Equal("acme_test", settings["meta"]!["appName"]!.GetValue<string>());
        Assert.Equal(50, settings["batch"]!["maxRequests"]!.GetValue<int>());

        // Files: the same bytes under PocketBase's keys, thumbnails included, .attrs sidecars left out.
        await using var registry = ImportRunner.Registry(app.Settings);
        var storage = new LocalFileStorage(registry.Provider.StorageDir("main"));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(pbData, "storage"), "*", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(Path.Combine(pbData, "storage"), file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.EndsWith(".attrs", StringComparison.Ordinal))
            {
                Assert.False(await storage.ExistsAsync(key, ct), key);
                continue;
            }
            if (!await storage.ExistsAsync(key, ct)) continue; // a file no record references anymore is not moved
            await using var stored = (await storage.OpenReadAsync(key, ct: ct))!;
            using var ms = new MemoryStream();
            await stored.Stream.CopyToAsync(ms, ct);
            Assert.Equal(await File.ReadAllBytesAsync(file, ct), ms.ToArray());
        }
        Assert.True(await storage.ExistsAsync("_pb_users_auth_/4q1xlclmfloku33/300_1SEi6Q6U72.png", ct));

        // Over HTTP: the same bytes; PocketBase's own thumbnail is served; a protected file opens with a file token
        // signed (by hand) with a superuser's tokenKey and the _superusers fileToken secret of the fixture.
        var fixtureStorage = Path.Combine(pbData, "storage");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(fixtureStorage, "_pb_users_auth_", "4q1xlclmfloku33", "300_1SEi6Q6U72.png"), ct),
            await app.Client.GetByteArrayAsync("/api/files/users/4q1xlclmfloku33/300_1SEi6Q6U72.png", ct));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(fixtureStorage, "_pb_users_auth_", "4q1xlclmfloku33", "thumbs_300_1SEi6Q6U72.png", "70x50_300_1SEi6Q6U72.png"), ct),
            await app.Client.GetByteArrayAsync("/api/files/users/4q1xlclmfloku33/300_1SEi6Q6U72.png?thumb=70x50", ct));
        const string protectedUrl = "/api/files/demo1/84nmscqy84lsi1t/test_d61b33QdDU.txt";
        Assert.Equal(404, (await SendAsync(app.Client, HttpMethod.Get, protectedUrl, null, ct)).Status);
        var superuser = FixtureData.Rows(pbData, $"SELECT id, tokenKey FROM _superusers WHERE email = '{SuperuserEmail}'")[0];
        var fileToken = HandSignedJwt.Sign(new JsonObject
        {
            ["collectionId"] = "pbc_3142635823", ["exp"] = DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeSeconds(),
            ["id"] = (string)superuser["id"]!, ["type"] = "file",
        }, (string)superuser["tokenKey"]! + FixtureData.Secret(pbData, "_superusers", "fileToken"));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(fixtureStorage, "wsmn24bux7wo113", "84nmscqy84lsi1t", "test_d61b33QdDU.txt"), ct),
            await app.Client.GetByteArrayAsync(protectedUrl + "?token=" + fileToken, ct));
        Assert.True(await storage.ExistsAsync("_pb_users_auth_/4q1xlclmfloku33/thumbs_300_1SEi6Q6U72.png/70x50_300_1SEi6Q6U72.png", ct));
    }
}
