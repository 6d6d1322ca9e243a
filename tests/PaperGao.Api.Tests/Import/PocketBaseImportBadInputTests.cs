using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Files;
using PaperGao.Core.Import.PocketBase;

namespace PaperGao.Api.Tests.Import;

/// <summary>Folders that are not (usable) pb_data, and imports that must leave nothing behind.</summary>
public sealed class PocketBaseImportBadInputTests(PostgresCluster postgres)
{
    [Fact]
    public async Task A_folder_that_is_not_a_pb_data_folder_is_refused_clearly()
    {
        var ct = TestContext.Current.CancellationToken;
        var empty = Directory.CreateTempSubdirectory("not-pb_data-").FullName;
        try
        {
            var target = new PaperGaoHostSettings(Path.Combine(empty, "target"), null);
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = empty }, "shop", ct));
            Assert.Contains("not a PocketBase pb_data folder", e.Message, StringComparison.Ordinal);
            e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = Path.Combine(empty, "nope") }, "shop", ct));
            Assert.Contains("is not a folder", e.Message, StringComparison.Ordinal);
            // A SQLite file that is not PocketBase's.
            await File.WriteAllBytesAsync(Path.Combine(empty, "data.db"), [], ct);
            e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = empty }, "shop", ct));
            Assert.Contains("no _collections table", e.Message, StringComparison.Ordinal);
            // The command exits with 1 and writes no project.
            Assert.Equal(1, await PaperGao.Server.Program.Main(["import", "pocketbase", Path.Combine(empty, "nope"), "--dir", target.Dir, "--project", "shop"]));
            Assert.Equal(2, await PaperGao.Server.Program.Main(["import", "mongodb", empty, "--dir", target.Dir]));
            Assert.Equal(2, await PaperGao.Server.Program.Main(["import", "pocketbase", empty, "--forse", "--dir", target.Dir]));
            Assert.False(Directory.Exists(Path.Combine(target.Dir, "projects", "shop")));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public async Task A_pb_data_older_than_0_23_is_refused_naming_the_version_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("pb_data-022-").FullName;
        try
        {
            await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "data.db")};Pooling=false"))
            {
                await c.OpenAsync(ct);
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "CREATE TABLE _admins (id TEXT PRIMARY KEY, email TEXT, passwordHash TEXT); " +
                                  "CREATE TABLE _collections (id TEXT PRIMARY KEY, name TEXT, type TEXT, system BOOLEAN, schema JSON, options JSON); " +
                                  "CREATE TABLE _params (id TEXT PRIMARY KEY, key TEXT, value JSON);";
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var target = new PaperGaoHostSettings(Path.Combine(dir, "target"), null);
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct));
            Assert.Contains("older than 0.23", e.Message, StringComparison.Ordinal);
            Assert.Contains("v0.22", e.Message, StringComparison.Ordinal);
            Assert.Contains("0.23+", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_corrupt_data_db_is_refused_and_nothing_is_written(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var pb = PocketBaseEdgeCaseImportTests.EdgeCases();
        for (var i = 0; i < 50; i++) pb.Row("empty_things", ("id", $"row{i:000000000000}"), ("note", new string('x', 500)));
        var dir = pb.Done();
        await using (var f = new FileStream(Path.Combine(dir, "data.db"), FileMode.Open, FileAccess.Write))
        {
            f.Seek(4096 * 3, SeekOrigin.Begin);
            await f.WriteAsync(Enumerable.Repeat((byte)0xA5, 4096 * 2).ToArray(), ct);
        }
        var (target, cleanup) = await ImportRunner.TargetAsync(db, postgres, ct);
        await using (cleanup)
        {
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct));
            Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
            await using var registry = ImportRunner.Registry(target);
            Assert.False(await registry.Provider.ExistsAsync("shop", ct));
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_collection_named_like_a_PaperGao_system_table_is_refused_and_nothing_is_written(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var pb = PocketBaseEdgeCaseImportTests.EdgeCases();
        pb.Collection("pbc_1000000009", "_apiKeys", "base", [PbDataBuilder.IdField()]);
        var dir = pb.Done();
        var (target, cleanup) = await ImportRunner.TargetAsync(db, postgres, ct);
        await using (cleanup)
        {
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct));
            Assert.Contains("'_apiKeys' is the name of a PaperGao system table", e.Message, StringComparison.Ordinal);
            Assert.Contains("Rename", e.Message, StringComparison.Ordinal);
            await using var registry = ImportRunner.Registry(target);
            Assert.False(await registry.Provider.ExistsAsync("shop", ct));
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_failure_while_copying_rolls_everything_back(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var pb = PocketBaseEdgeCaseImportTests.EdgeCases();
        // A unique index PocketBase's table does not enforce (the rows already break it): the copy fails half way.
        pb.Collection("pbc_1000000010", "codes", "base", [PbDataBuilder.IdField(), PbDataBuilder.Field("text10", "code", "text")],
            indexes: ["CREATE UNIQUE INDEX `idx_codes_code` ON `codes` (`code`)"]);
        pb.Row("codes", ("id", "ccccccccccccc01"), ("code", "same"));
        pb.Row("codes", ("id", "ccccccccccccc02"), ("code", "same"));
        var dir = pb.Done();
        var (target, cleanup) = await ImportRunner.TargetAsync(db, postgres, ct);
        await using (cleanup)
        {
            // Into a new project: the project is deleted again.
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct));
            Assert.Contains("codes", e.Message, StringComparison.Ordinal);
            await using var registry = ImportRunner.Registry(target);
            Assert.False(await registry.Provider.ExistsAsync("shop", ct));
            Assert.False(Directory.Exists(registry.Provider.StorageDir("shop")));

            // Into main (never deleted): its collections are as before and no file stays behind.
            await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, ct: ct));
            await using var again = ImportRunner.Registry(target);
            var main = (await again.GetAsync("main", ct))!;
            Assert.Null(main.Collections.FindByName("things"));
            Assert.NotNull(main.Collections.FindByName("users"));
            Assert.False(await new LocalFileStorage(main.StorageDir).ExistsAsync($"pbc_1000000001/aaaaaaaaaaaaaa1/photo_abc123.png", ct));
        }
    }

    [Theory]
    [DatabaseMatrix]
    public async Task A_target_with_data_is_refused_without_force_and_replaced_with_it_and_dry_run_writes_nothing(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        using var pb = PocketBaseEdgeCaseImportTests.EdgeCases();
        var dir = pb.Done();
        var (target, cleanup) = await ImportRunner.TargetAsync(db, postgres, ct);
        await using (cleanup)
        {
            var dry = await ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir, DryRun = true }, "shop", ct);
            Assert.True(dry.DryRun);
            Assert.Equal(2, dry.Find("things")!.Records);
            Assert.Equal(1, dry.Find("things")!.Files);
            await using (var registry = ImportRunner.Registry(target))
                Assert.False(await registry.Provider.ExistsAsync("shop", ct));

            await ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct);
            var e = await Assert.ThrowsAsync<PocketBaseImportException>(() => ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir }, "shop", ct));
            Assert.Contains("already has data", e.Message, StringComparison.Ordinal);
            Assert.Contains("--force", e.Message, StringComparison.Ordinal);

            var forced = await ImportRunner.RunAsync(target, new PocketBaseImportOptions { PbDataDir = dir, Force = true }, "shop", ct);
            Assert.Equal(2, forced.Find("things")!.Records);
            await using var after = ImportRunner.Registry(target);
            var shop = (await after.GetAsync("shop", ct))!;
            var count = await shop.Database.ReadAsync(c => shop.Database.ScalarAsync(c, null, "SELECT COUNT(*) FROM \"things\"", null, ct), ct);
            Assert.Equal(2L, Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Null(shop.Collections.FindByName("users")); // replaced by the pb_data's collections, which have no "users"
        }
    }
}
