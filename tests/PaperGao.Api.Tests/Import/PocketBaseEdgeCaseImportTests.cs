using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Files;
using PaperGao.Core.Import.PocketBase;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Import;

/// <summary>Small pb_data folders built by the test: a view, a select with many values, an empty collection, a file field with thumbs, a missing file.</summary>
public sealed class PocketBaseEdgeCaseImportTests(PostgresCluster postgres)
{
    private const string ThingsId = "pbc_1000000001";
    private static readonly byte[] Photo = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5];
    private static readonly byte[] Thumb = [0x89, 0x50, 0x4E, 0x47, 9, 8, 7];

    internal static PbDataBuilder EdgeCases()
    {
        var values = new JsonArray([.. Enumerable.Range(0, 200).Select(i => JsonValue.Create($"v{i:000}"))]);
        var b = new PbDataBuilder();
        b.Collection(ThingsId, "things", "base",
        [
            PbDataBuilder.IdField(),
            PbDataBuilder.Field("text1", "title", "text"),
            PbDataBuilder.Field("select1", "tags", "select", new JsonObject { ["maxSelect"] = 150, ["values"] = values }),
            PbDataBuilder.Field("file1", "photo", "file", new JsonObject { ["maxSelect"] = 1, ["maxSize"] = 0, ["thumbs"] = new JsonArray("100x100"), ["protected"] = false }),
            .. PbDataBuilder.Autodates(),
        ]);
        b.Collection("pbc_1000000002", "empty_things", "base", [PbDataBuilder.IdField(), PbDataBuilder.Field("text2", "note", "text")]);
        b.Collection("pbc_1000000003", "thing_titles", "view", [PbDataBuilder.IdField(), PbDataBuilder.Field("text1", "title", "text")],
            viewQuery: "SELECT id, title FROM things");
        var many = new JsonArray([.. values.Take(150).Select(v => v!.DeepClone())]).ToJsonString();
        b.Row("things", ("id", "aaaaaaaaaaaaaa1"), ("title", "many tags"), ("tags", many), ("photo", "photo_abc123.png"),
            ("created", "2023-05-06 07:08:09.123Z"), ("updated", "2023-05-06 07:08:09.456Z"));
        b.Row("things", ("id", "aaaaaaaaaaaaaa2"), ("title", "missing file"), ("tags", "[]"), ("photo", "gone_xyz789.png"),
            ("created", "2023-05-06 07:08:10.000Z"), ("updated", "2023-05-06 07:08:10.000Z"));
        b.File(ThingsId, "aaaaaaaaaaaaaa1", "photo_abc123.png", Photo);
        b.File(ThingsId, "aaaaaaaaaaaaaa1", "thumbs_photo_abc123.png/100x100_photo_abc123.png", Thumb);
        return b;
    }

    [Theory]
    [DatabaseMatrix]
    public async Task View_many_select_values_empty_collection_thumbs_and_a_missing_file(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var pb = EdgeCases();
        var dir = pb.Done();
        ImportReport? report = null;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, async target =>
            report = await ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, ct: ct), ct);

        Assert.NotNull(report);
        Assert.Equal(2, report.Find("things")!.Records);
        Assert.Equal(1, report.Find("things")!.Files);
        Assert.Equal(0, report.Find("empty_things")!.Records);
        Assert.Contains(report.Warnings, w => w.Contains("gone_xyz789.png", StringComparison.Ordinal) && w.Contains("missing", StringComparison.Ordinal));

        var su = await app.SuperuserClientAsync(ct);
        var things = await GetJsonAsync(su, "/api/collections/things", ct);
        Assert.Equal(ThingsId, things["id"]!.GetValue<string>());
        var tags = things["fields"]!.AsArray().First(f => f!["name"]!.GetValue<string>() == "tags")!;
        Assert.Equal(200, tags["values"]!.AsArray().Count);
        Assert.Equal(150, tags["maxSelect"]!.GetValue<int>());
        var photo = things["fields"]!.AsArray().First(f => f!["name"]!.GetValue<string>() == "photo")!;
        Assert.Equal(["100x100"], photo["thumbs"]!.AsArray().Select(t => t!.GetValue<string>()));

        var first = await GetJsonAsync(su, "/api/collections/things/records/aaaaaaaaaaaaaa1", ct);
        Assert.Equal(150, first["tags"]!.AsArray().Count);
        Assert.Equal("v149", first["tags"]![149]!.GetValue<string>());
        Assert.Equal("photo_abc123.png", first["photo"]!.GetValue<string>());
        Assert.Equal("2023-05-06 07:08:09.123Z", first["created"]!.GetValue<string>());
        // The record whose file is missing is kept, with its file name.
        var second = await GetJsonAsync(su, "/api/collections/things/records/aaaaaaaaaaaaaa2", ct);
        Assert.Equal("gone_xyz789.png", second["photo"]!.GetValue<string>());

        var view = await GetJsonAsync(app.Client, "/api/collections/thing_titles/records?sort=title", ct);
        Assert.Equal(["many tags", "missing file"], view["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        Assert.Equal("view", (await GetJsonAsync(su, "/api/collections/thing_titles", ct))["type"]!.GetValue<string>());
        Assert.Equal(0, (await GetJsonAsync(app.Client, "/api/collections/empty_things/records", ct))["totalItems"]!.GetValue<int>());

        await using var registry = ImportRunner.Registry(app.Settings);
        var storage = new LocalFileStorage(registry.Provider.StorageDir("main"));
        Assert.Equal(Photo, await ReadAsync(storage, $"{ThingsId}/aaaaaaaaaaaaaa1/photo_abc123.png", ct));
        Assert.Equal(Thumb, await ReadAsync(storage, $"{ThingsId}/aaaaaaaaaaaaaa1/thumbs_photo_abc123.png/100x100_photo_abc123.png", ct));
        Assert.False(await storage.ExistsAsync($"{ThingsId}/aaaaaaaaaaaaaa1/photo_abc123.png.attrs", ct));
    }

    internal static async Task<byte[]> ReadAsync(IFileStorage storage, string key, CancellationToken ct)
    {
        await using var content = await storage.OpenReadAsync(key, ct: ct) ?? throw new InvalidOperationException("missing " + key);
        using var ms = new MemoryStream();
        await content.Stream.CopyToAsync(ms, ct);
        return ms.ToArray();
    }
}
