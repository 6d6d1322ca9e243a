using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Backups;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Backups;

/// <summary>A backup reads for as long as it takes: the statement time limit of requests does not stop its snapshot.</summary>
public sealed class BackupsTimeLimitTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_backup_that_reads_longer_than_the_statement_time_limit_completes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateAsync(su, new JsonObject { ["name"] = "notes", ["type"] = "base", ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }) }, ct);
        var registry = (ProjectRegistry)app.Services.GetService(typeof(ProjectRegistry))!;
        var service = (BackupService)app.Services.GetService(typeof(BackupService))!;
        var p = (await registry.GetAsync("main", ct))!;
        await p.Database.WriteAsync(async tx =>
        {
            for (var i = 0; i < 3000; i++)
            {
                var q = new SqlParams();
                await p.Database.ExecuteAsync(tx, $"INSERT INTO \"notes\" (\"id\", \"text\") VALUES ({q.Add($"n{i:D14}")}, {q.Add(new string('x', 200) + i)})", q, ct);
            }
        }, ct);

        // 1 ms per statement: the records' SELECT stays open while 3000 rows are written into the zip, far longer.
        p.Database.StatementTimeout = TimeSpan.FromMilliseconds(1);
        try
        {
            var manifest = await service.CreateAsync(p, "long.zip", ct);
            Assert.True(manifest.Records >= 3000, $"records: {manifest.Records}");
        }
        finally
        {
            p.Database.StatementTimeout = ProjectDatabase.DefaultStatementTimeout;
        }
    }
}
