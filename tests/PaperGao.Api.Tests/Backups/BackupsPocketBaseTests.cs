using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Import;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Backups.BackupsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>A PocketBase backup (a zip of its pb_data, as PocketBase's own backups are) restores through the importer.</summary>
public sealed class BackupsPocketBaseTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_PocketBase_backup_zip_restores_into_the_project(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        var pbData = PocketBaseFixture.Dir();
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var up = await UploadAsync(su, "pb_backup_fixture.zip", ZipFolder(pbData), ct);
        Assert.True(up.Status == 204, up.Body.ToJsonString());
        await RestoreAsync(su, "pb_backup_fixture.zip", ct);

        // The project is now the PocketBase one: its superuser signs in, its records and files are there, ours are gone.
        using var signIn = await app.Client.PostAsJsonAsync("/api/collections/_superusers/auth-with-password",
            new { identity = "test@example.com", password = "1234567890" }, ct);
        var body = JsonNode.Parse(await signIn.Content.ReadAsStringAsync(ct))!;
        Assert.True(signIn.IsSuccessStatusCode, body.ToJsonString());
        using var pbSu = app.CreateClient();
        pbSu.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", body["token"]!.GetValue<string>());
        Assert.Equal(3, (await GetJsonAsync(pbSu, "/api/collections/users/records", ct))["totalItems"]!.GetValue<int>());
        Assert.Equal(404, (await SendAsync(pbSu, HttpMethod.Get, "/api/collections/posts", null, ct)).Status);
        var avatar = await File.ReadAllBytesAsync(Path.Combine(pbData, "storage", "_pb_users_auth_", "4q1xlclmfloku33", "300_1SEi6Q6U72.png"), ct);
        Assert.Equal(avatar, await app.Client.GetByteArrayAsync("/api/files/users/4q1xlclmfloku33/300_1SEi6Q6U72.png", ct));
    }

    /// <summary>The folder as PocketBase zips it: paths relative to pb_data, "/" separators.</summary>
    private static byte[] ZipFolder(string dir)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
                zip.CreateEntryFromFile(file, Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/'));
        }
        return ms.ToArray();
    }
}
