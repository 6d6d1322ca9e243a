using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Import.PocketBase;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Tests.Import;

/// <summary>Runs the importer the way <c>papergao import pocketbase</c> does, on a test server's data dir / database.</summary>
internal static class ImportRunner
{
    public static async Task<ImportReport> RunAsync(PaperGaoHostSettings target, PocketBaseImportOptions options, string project = ProjectNames.Default, CancellationToken ct = default)
    {
        await using var registry = Registry(target);
        return await PocketBaseImporter.RunAsync(registry, project, options, ct);
    }

    public static ProjectRegistry Registry(PaperGaoHostSettings target) =>
        new(PaperGao.Api.PaperGaoApiExtensions.CreateProvider(new PaperGao.Api.PaperGaoOptions { Dir = target.Dir, Db = target.Db }));

    /// <summary>A data dir (and database) of its own for tests that never start a server.</summary>
    public static async Task<(PaperGaoHostSettings Settings, IAsyncDisposable Cleanup)> TargetAsync(DatabaseKind kind, PostgresCluster postgres, CancellationToken ct)
    {
        var database = kind == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var dir = Directory.CreateTempSubdirectory("papergao-import-").FullName;
        return (new PaperGaoHostSettings(dir, database?.ConnectionString), new Cleanup(dir, database));
    }

    private sealed class Cleanup(string dir, TestDatabase? database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (database is not null) await database.DisposeAsync();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
