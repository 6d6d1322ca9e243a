using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Files;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Files.FileTestContent;
using static PaperGao.Api.Tests.Scale.QueryPlans;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Uploads are streamed to storage before the write transaction starts (SQLite's single writer is not held by file
/// I/O), and a write that fails afterwards leaves no file behind.
/// </summary>
public sealed class SlowWorkOutsideWriterTests(PostgresCluster postgres)
{
    [Theory]
    [StorageMatrix]
    public async Task An_upload_is_in_storage_before_the_write_and_a_failed_write_leaves_nothing(DatabaseKind db, StorageKind storage)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await FilesTestApp.StartAsync(db, storage, postgres, ct);
        JsonArray fields = [new JsonObject { ["name"] = "title", ["type"] = "text" }, new JsonObject { ["name"] = "docs", ["type"] = "file", ["maxSelect"] = 3 }];
        var cid = await t.CreateCollectionAsync("notes", fields, ct, createRule: "title != 'no'", updateRule: "@request.body.title != 'no'");
        var project = await MainAsync(t.App, ct);

        // When the INSERT / UPDATE statement is made (inside the transaction), how many files does storage hold?
        var seen = new List<(string Sql, int Keys)>();
        project.Database.StatementObserver = (sql, _) =>
        {
            if (!sql.StartsWith("INSERT INTO \"notes\"", StringComparison.Ordinal) && !sql.StartsWith("UPDATE \"notes\"", StringComparison.Ordinal)) return;
            var keys = t.KeysAsync(CancellationToken.None).GetAwaiter().GetResult().Count;
            lock (seen) seen.Add((sql, keys));
        };
        try
        {
            using var form = Form(("docs", "a.txt", "alpha"u8.ToArray()), Field("title", "yes"));
            var (status, rec) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/notes/records", form, ct);
            Assert.True(status == 200, rec.ToJsonString());
            var id = rec["id"]!.GetValue<string>();
            var first = Names(rec["docs"]).Single();
            lock (seen) Assert.Equal(1, Assert.Single(seen).Keys);

            using var more = Form(("docs+", "b.txt", "beta"u8.ToArray()));
            (status, rec) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/notes/records/{id}", more, ct);
            Assert.True(status == 200, rec.ToJsonString());
            var second = Names(rec["docs"])[1];
            lock (seen) Assert.Equal(2, seen[^1].Keys);
            await t.WaitForKeysAsync([$"{cid}/{id}/{first}", $"{cid}/{id}/{second}"], ct);

            // Refused after the file was stored (the rule is checked on the written row): the stored file is deleted.
            using var refusedCreate = Form(("docs", "c.txt", "gamma"u8.ToArray()), Field("title", "no"));
            (status, _) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/notes/records", refusedCreate, ct);
            Assert.Equal(400, status);
            using var refusedUpdate = Form(("docs+", "d.txt", "delta"u8.ToArray()), Field("title", "no"));
            (status, _) = await SendAsync(t.Guest, HttpMethod.Patch, $"/api/collections/notes/records/{id}", refusedUpdate, ct);
            Assert.Equal(404, status);
            // A duplicate id: the second create fails at the INSERT, its file goes, the first record's files stay.
            using var duplicate = Form(("docs", "e.txt", "epsilon"u8.ToArray()), Field("id", id));
            (status, _) = await SendAsync(t.Guest, HttpMethod.Post, "/api/collections/notes/records", duplicate, ct);
            Assert.Equal(400, status);
            await t.WaitForKeysAsync([$"{cid}/{id}/{first}", $"{cid}/{id}/{second}"], ct);
        }
        finally
        {
            project.Database.StatementObserver = null;
        }
    }
}
