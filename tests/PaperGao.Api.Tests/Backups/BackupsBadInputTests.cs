using System.IO.Compression;
using System.Text;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>Bad input for the backups API: each answer is a 4xx in the error envelope, and nothing changes.</summary>
public sealed class BackupsBadInputTests(PostgresCluster postgres)
{
    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return ms.ToArray();
    }

    private static void AssertEnvelope(int expected, (int Status, System.Text.Json.Nodes.JsonNode? Body) r)
    {
        Assert.True(r.Status == expected, $"{r.Status} {r.Body?.ToJsonString()}");
        Assert.Equal(expected, r.Body!["status"]!.GetValue<int>());
        Assert.NotNull(r.Body["message"]);
        Assert.NotNull(r.Body["data"]);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Names_and_guests_are_refused(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        foreach (var name in new[] { "../evil.zip", "UPPER.zip", "a.tar", "a b.zip", "..zip", new string('a', 150) + ".zip" })
        {
            var r = await SendAsync(su, HttpMethod.Post, "/api/backups", new { name }, ct);
            AssertEnvelope(400, r);
            Assert.NotNull(r.Body!["data"]!["name"]);
        }
        AssertEnvelope(400, await SendAsync(su, HttpMethod.Post, "/api/backups", new { name = 5 }, ct));
        AssertEnvelope(401, await SendAsync(app.Client, HttpMethod.Get, "/api/backups", null, ct));
        AssertEnvelope(401, await SendAsync(app.Client, HttpMethod.Post, "/api/backups", new { name = "x.zip" }, ct));
        AssertEnvelope(403, await SendAsync(app.Client, HttpMethod.Get, "/api/backups/x.zip", null, ct));
        AssertEnvelope(403, await SendAsync(app.Client, HttpMethod.Get, "/api/backups/x.zip?token=abc", null, ct));
        // A superuser's auth token is not a file token.
        AssertEnvelope(403, await SendAsync(app.Client, HttpMethod.Get, "/api/backups/x.zip?token=" + await app.SuperuserTokenAsync(ct), null, ct));
        AssertEnvelope(400, await SendAsync(su, HttpMethod.Post, "/api/backups/..%2Fdata.db/restore", null, ct));
        AssertEnvelope(400, await SendAsync(su, HttpMethod.Post, "/api/backups/missing.zip/restore", null, ct));
        AssertEnvelope(400, await SendAsync(su, HttpMethod.Delete, "/api/backups/missing.zip", null, ct));
        AssertEnvelope(400, await SendAsync(su, HttpMethod.Delete, "/api/backups/..%2F..%2Fdata.db", null, ct));
        await CreateBackupAsync(su, "taken.zip", ct);
        var dup = await SendAsync(su, HttpMethod.Post, "/api/backups", new { name = "taken.zip" }, ct);
        AssertEnvelope(400, dup);
        Assert.Equal("validation_backup_name_exists", dup.Body!["data"]!["name"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Uploads_that_are_not_backups_are_refused_and_leave_the_project_as_it_was(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SeedAsync(su, ct);

        // Upload checks: name, zip signature, duplicates, missing file.
        var bad = await UploadAsync(su, "../up.zip", Zip(("a", "b")), ct);
        Assert.Equal(400, bad.Status);
        Assert.NotNull(bad.Body["data"]!["file"]);
        Assert.Equal(400, (await UploadAsync(su, "notzip.zip", "just text"u8.ToArray(), ct)).Status);
        var (noFile, _) = await Files.FileTestContent.SendAsync(su, HttpMethod.Post, "/api/backups/upload", Files.FileTestContent.Form(Files.FileTestContent.Field("name", "x")), ct);
        Assert.Equal(400, noFile);
        Assert.Equal(401, (await UploadAsync(app.Client, "guest.zip", Zip(("a", "b")), ct)).Status);

        var good = await DownloadAsync(su, app.Client, await CreateAndNameAsync(su, ct), ct);
        var cases = new (string Name, byte[] Zip, string Message)[]
        {
            ("slip.zip", Zip(("papergao-backup.json", "{\"format\":\"papergao-backup\",\"version\":1}"), ("storage/../../../etc/x", "x")), "unexpected entry"),
            ("pbslip.zip", Zip(("data.db", "x"), ("../outside.txt", "x")), "unexpected entry"),
            ("other.zip", Zip(("readme.txt", "hello")), "not a backup"),
            ("truncated.zip", good[..(good.Length / 2)], "not a valid zip"),
            ("future.zip", Zip(("papergao-backup.json", "{\"format\":\"papergao-backup\",\"version\":99}")), "format version"),
            ("badrows.zip", Rewrite(good, "records/", "{\"id\":\"x\",\"nope\":1}\n"), "not a column"),
            ("badjson.zip", Rewrite(good, "records/", "{not json\n"), "not valid JSON"),
            ("fakepb.zip", Zip(("data.db", "not sqlite")), "PocketBase"),
        };
        foreach (var (name, zip, message) in cases)
        {
            var up = await UploadAsync(su, name, zip, ct);
            Assert.True(up.Status == 204, $"{name}: {up.Status} {up.Body.ToJsonString()}");
            var r = await SendAsync(su, HttpMethod.Post, $"/api/backups/{name}/restore", null, ct);
            AssertEnvelope(400, r);
            Assert.Contains(message, r.Body!["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
            await AssertSeededAsync(su, app.Client, ct);
        }
        Assert.False(File.Exists(Path.Combine(app.Settings.Dir, "etc", "x")));
        Assert.False(File.Exists(Path.Combine(app.Settings.Dir, "outside.txt")));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task An_upload_over_2_GiB_is_refused_before_it_is_read(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        using var content = new StreamContent(new MemoryStream(new byte[16]));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        content.Headers.ContentLength = 2L * 1024 * 1024 * 1024 + 1;
        using var req = new HttpRequestMessage(HttpMethod.Post, "/api/backups/upload") { Content = content };
        using var r = await su.SendAsync(req, ct);
        Assert.Equal(413, (int)r.StatusCode);
        Assert.Contains("2 GiB", await r.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Empty((await GetJsonAsync(su, "/api/backups", ct)).AsArray());
    }

    private static async Task<string> CreateAndNameAsync(HttpClient su, CancellationToken ct)
    {
        await CreateBackupAsync(su, "good.zip", ct);
        return "good.zip";
    }

    /// <summary>A copy of the zip where the first entry under the prefix gets another content.</summary>
    private static byte[] Rewrite(byte[] zip, string prefix, string content)
    {
        using var source = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var ms = new MemoryStream();
        using (var target = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var done = false;
            foreach (var e in source.Entries)
            {
                using var s = target.CreateEntry(e.FullName).Open();
                if (!done && e.FullName.StartsWith(prefix, StringComparison.Ordinal))
                {
                    s.Write(Encoding.UTF8.GetBytes(content));
                    done = true;
                }
                else
                {
                    using var from = e.Open();
                    from.CopyTo(s);
                }
            }
        }
        return ms.ToArray();
    }
}
