using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Files.FileTestContent;

namespace PaperGao.Api.Tests.Files;

/// <summary>`papergao files gc`: what a crash between a commit and a file write or delete leaves behind is removed, nothing else.</summary>
public sealed class FilesGcTests(PostgresCluster postgres)
{
    [Theory]
    [StorageMatrix]
    public async Task Gc_deletes_only_unreferenced_objects(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        var cid = await t.CreateCollectionAsync("docs", [new JsonObject { ["name"] = "f", ["type"] = "file", ["maxSelect"] = 3 }], ct);
        var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/docs/records", Form(("f", "keep.png", Png(10, 10))), ct);
        Assert.True(status == 200, rec.ToJsonString());
        var id = rec["id"]!.GetValue<string>();
        var kept = Names(rec["f"])[0];
        using (var thumb = await t.Guest.GetAsync($"/api/files/docs/{id}/{kept}?thumb=100x100", ct)) Assert.Equal(200, (int)thumb.StatusCode);
        var keptKeys = new[] { $"{cid}/{id}/{kept}", $"{cid}/{id}/thumbs_{kept}/100x100_{kept}" };

        // what crashes leave: a file its record no longer lists (and its thumbnail), a file of a record that was never
        // committed, files of a deleted collection
        string[] orphans = [$"{cid}/{id}/old_aaaaaaaaaa.txt", $"{cid}/{id}/thumbs_old_aaaaaaaaaa.png/100x100_old_aaaaaaaaaa.png", $"{cid}/neverinserted01/a_bbbbbbbbbb.txt", "pbc_gone/abc/x_cccccccccc.txt"];
        foreach (var key in orphans) await t.Storage.WriteAsync(key, new MemoryStream("x"u8.ToArray()), "text/plain", ct);

        string[] baseArgs = ["files", "gc", "--dir", t.App.Settings.Dir, .. t.App.Settings.Db is { } cs ? new[] { "--db", cs } : []];
        // with the default grace period everything is too young to touch
        Assert.Equal(0, await PaperGao.Server.Program.Main(baseArgs));
        Assert.Equal(keptKeys.Concat(orphans).Order(StringComparer.Ordinal), await t.KeysAsync(ct));
        Assert.Equal(0, await PaperGao.Server.Program.Main([.. baseArgs, "--grace-seconds=0", "--dry-run"]));
        Assert.Equal(keptKeys.Concat(orphans).Order(StringComparer.Ordinal), await t.KeysAsync(ct));

        Assert.Equal(0, await PaperGao.Server.Program.Main([.. baseArgs, "--grace-seconds=0"]));
        Assert.Equal(keptKeys.Order(StringComparer.Ordinal), await t.KeysAsync(ct));
        using (var r = await t.Guest.GetAsync($"/api/files/docs/{id}/{kept}", ct)) Assert.Equal(200, (int)r.StatusCode);

        Assert.Equal(2, await PaperGao.Server.Program.Main(["files", "collect"]));

        // the usage report (superusers only) counts what is left
        using (var guest = await t.Guest.GetAsync("/api/files/usage", ct)) Assert.Equal(401, (int)guest.StatusCode);
        using var usage = await t.Su.GetAsync("/api/files/usage", ct);
        var report = JsonNode.Parse(await usage.Content.ReadAsStringAsync(ct))!;
        Assert.Equal(storage == StorageKind.S3 ? "s3" : "local", report["storage"]!.GetValue<string>());
        Assert.Equal(1, report["total"]!["files"]!.GetValue<long>());
        Assert.Equal(1, report["total"]!["thumbs"]!.GetValue<long>());
        var docs = Assert.Single(report["collections"]!.AsArray());
        Assert.Equal("docs", docs!["collectionName"]!.GetValue<string>());
        Assert.Equal((await t.Storage.StatAsync(keptKeys[0], ct))!.Length, docs["usage"]!["bytes"]!.GetValue<long>());
    }
}
