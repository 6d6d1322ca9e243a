using System.Globalization;
using Npgsql;
using PaperGao.Api.Tests.Configuration;
using PaperGao.Api.Tests.Durability;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Data.Postgres;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Nodes that start together on one empty PostgreSQL database (Kubernetes replicas do): the system migrations run under
/// an advisory lock per schema, so they run one node after the other and the tables and seed rows are made once.
/// Real server processes (the papergao executable next to the tests).
/// </summary>
public sealed class ClusterStartTests(PostgresCluster postgres)
{
    /// <summary>What a lost race would print: a duplicate key in the catalog, a table or schema that already exists.</summary>
    private static readonly string[] RaceSigns = ["duplicate key", "already exists", "23505", "42P07", "42P06", "Unhandled exception"];

    [Fact]
    public async Task Three_nodes_started_together_on_an_empty_database_all_become_healthy_and_migrate_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await postgres.CreateDatabaseAsync(ct);
        var nodes = Enumerable.Range(0, 3).Select(_ => StartNode(db.ConnectionString)).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.Exe.WaitHealthyAsync(n.Url, ct)));
            // A request that opens the log schema and the functions tables on every node, at the same time again.
            using var client = new HttpClient();
            var answers = await Task.WhenAll(nodes.Select(n => client.GetAsync(n.Url + "/api/collections/users/records", ct)));
            foreach (var a in answers) Assert.True((int)a.StatusCode is 200 or 403, $"{a.StatusCode}");
            foreach (var n in nodes)
            {
                Assert.False(n.Exe.HasExited);
                var log = n.Exe.Stdout + n.Exe.Stderr;
                foreach (var sign in RaceSigns) Assert.DoesNotContain(sign, log, StringComparison.OrdinalIgnoreCase);
            }

            await using var conn = new NpgsqlConnection(db.ConnectionString);
            await conn.OpenAsync(ct);
            // Each seeded and system collection once, the settings row once, one "main" schema.
            await using (var cmd = new NpgsqlCommand("""SELECT "name", COUNT(*) FROM "p_main"."_collections" GROUP BY "name" ORDER BY 1""", conn))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                var names = new List<string>();
                while (await reader.ReadAsync(ct))
                {
                    Assert.Equal(1L, reader.GetInt64(1));
                    names.Add(reader.GetString(0));
                }
                Assert.Contains("_superusers", names);
                Assert.Contains("users", names);
            }
            Assert.Equal(1L, await ScalarAsync(conn, """SELECT COUNT(*) FROM "p_main"."_params" WHERE "id" = 'settings'""", ct));
            Assert.Equal(1L, await ScalarAsync(conn, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'p\\_%'", ct));
        }
        finally
        {
            foreach (var n in nodes) await StopAsync(n);
        }
    }

    [Fact]
    public async Task A_node_waits_for_the_migration_lock_held_elsewhere_and_starts_when_it_is_released()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await postgres.CreateDatabaseAsync(ct);
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", holder))
        {
            take.Parameters.AddWithValue(PostgresProjectDatabase.MigrationLockKey(PostgresDatabaseProvider.SchemaOf("main")));
            await take.ExecuteNonQueryAsync(ct);
        }

        var node = StartNode(db.ConnectionString);
        try
        {
            // The node's migration waits on the lock: PostgreSQL shows its request as not granted.
            await using var watcher = new NpgsqlConnection(db.ConnectionString);
            await watcher.OpenAsync(ct);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await ScalarAsync(watcher, "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", ct) == 0)
            {
                Assert.False(node.Exe.HasExited, node.Exe.Stderr + node.Exe.Stdout);
                Assert.True(DateTime.UtcNow < deadline, "the node never asked for the migration lock");
                await Task.Delay(50, ct);
            }
            Assert.Equal(0L, await ScalarAsync(watcher, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'p_main'", ct));

            await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", holder))
                await release.ExecuteNonQueryAsync(ct);
            await node.Exe.WaitHealthyAsync(node.Url, ct);
            Assert.True(await ScalarAsync(watcher, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'p_main' AND table_name = '_collections'", ct) == 1);
        }
        finally
        {
            await StopAsync(node);
        }
    }

    private static async Task StopAsync((Executable Exe, string Url, string Dir) node)
    {
        await node.Exe.DisposeAsync();
        try { Directory.Delete(node.Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static (Executable Exe, string Url, string Dir) StartNode(string connectionString)
    {
        var port = ServerProcess.FreePort();
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "papergao-node-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        var exe = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", dir, "--db", connectionString]);
        return (exe, $"http://127.0.0.1:{port}", dir);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
