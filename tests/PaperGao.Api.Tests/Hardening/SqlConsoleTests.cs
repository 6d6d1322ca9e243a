using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using static PaperGao.Api.Tests.Auth.Users;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>POST /api/sql: PocketBase's SQL console, confined to the project (docs/security.md).</summary>
public sealed class SqlConsoleTests(PostgresCluster postgres)
{
    private static Task<(int Status, JsonNode? Body)> RunAsync(HttpClient c, string query, CancellationToken ct) =>
        SendAsync(c, HttpMethod.Post, "/api/sql", new { query }, ct);

    [Theory]
    [DatabaseMatrix]
    public async Task The_console_answers_pocketbase_shapes_and_bad_input_is_400(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(401, (await RunAsync(app.Client, "select 1", ct)).Status);
        await SignUpAsync(app, "alice@x.io", ct);
        using (var alice = await SignedInClientAsync(app, "alice@x.io", ct))
            Assert.Equal(403, (await RunAsync(alice, "select 1", ct)).Status);

        var (s, one) = await RunAsync(su, "select 1 as one, null as nope", ct);
        Assert.Equal(200, s);
        Assert.Equal(0, one!["affectedRows"]!.GetValue<long>());
        Assert.Equal("one", one["columns"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("1", one["rows"]![0]![0]!.GetValue<string>());
        Assert.Null(one["rows"]![0]![1]);
        Assert.True(one["execTime"]!.GetValue<long>() >= 0);
        var (s2, two) = await RunAsync(su, "select 1 as a;select 2 as b", ct);
        Assert.Equal(200, s2);
        Assert.Equal("b", two!["columns"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("2", two["rows"]![0]![0]!.GetValue<string>());

        var (e1, err1) = await RunAsync(su, "", ct);
        Assert.Equal(400, e1);
        Assert.Equal("validation_required", err1!["data"]!["query"]!["code"]!.GetValue<string>());
        var (e2, err2) = await RunAsync(su, new string('a', 5001), ct);
        Assert.Equal(400, e2);
        Assert.NotNull(err2!["data"]!["query"]);
        var (e3, err3) = await RunAsync(su, "invalid", ct);
        Assert.Equal(400, e3);
        Assert.Contains("Raw error:", err3!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        if (db == DatabaseKind.Sqlite) Assert.Contains("SQL logic error", err3["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // Writes: one transaction, all or nothing.
        var (w1, created) = await RunAsync(su, "create table test_sql_table(id int primary key);insert into test_sql_table(id) values (1)", ct);
        Assert.Equal(200, w1);
        Assert.Equal(1, created!["affectedRows"]!.GetValue<long>());
        Assert.Empty(created["columns"]!.AsArray());
        Assert.Equal(400, (await RunAsync(su, "create table test_sql_other(id int primary key);insert into test_sql_other(id) values (1);invalid", ct)).Status);
        Assert.Equal(400, (await RunAsync(su, "select * from test_sql_other", ct)).Status);
        // A query that is not classified as a write runs read-only.
        Assert.Equal(400, (await RunAsync(su, "with c as (select 2 as id) insert into test_sql_table(id) select id from c", ct)).Status);
        var (r, rows) = await RunAsync(su, "select count(*) as n from test_sql_table", ct);
        Assert.Equal(200, r);
        Assert.Equal("1", rows!["rows"]![0]![0]!.GetValue<string>());
        // At most 1000 rows.
        var (m, many) = await RunAsync(su, "with recursive c(x) as (select 1 union all select x + 1 from c where x < 1500) select x from c", ct);
        Assert.Equal(200, m);
        Assert.Equal(1000, many!["rows"]!.AsArray().Count);
    }

    [Fact]
    public async Task On_sqlite_the_console_cannot_reach_other_files_or_load_code()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var outside = Path.Combine(app.Settings.Dir, "outside.db");
        foreach (var q in new[]
        {
            $"ATTACH DATABASE '{outside}' AS other", $"VACUUM INTO '{outside}'", "PRAGMA writable_schema = 1", "PRAGMA journal_mode = DELETE",
            "select load_extension('/nonexistent/lib')", "PRAGMA database_list", $"CREATE TABLE x AS SELECT 1; ATTACH DATABASE '{outside}' AS other",
        })
        {
            var (s, err) = await RunAsync(su, q, ct);
            Assert.True(s == 400, $"{q}: {s} {err}");
        }
        Assert.False(File.Exists(outside));
        Assert.Equal(200, (await RunAsync(su, "PRAGMA table_info(_collections)", ct)).Status);
        // The connections are clean afterwards: ordinary requests still write and read.
        await CreateSchemaAsync(su, ct);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "after" }, ct)).Status);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Get, "/api/collections/posts/records", null, ct)).Status);
    }

    [Fact]
    public async Task On_postgres_only_the_main_project_has_the_console()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Postgres, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/platform/projects", new { name = "shop" }, ct)).Status);
        var shop = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync("shop", ct))!;
        var superusers = shop.Collections.FindByName(ProjectInitializer.SuperusersName)!;
        await RecordWriter.CreateAsync(shop, superusers, new JsonObject { ["email"] = "owner@shop.io", ["password"] = Password, ["passwordConfirm"] = Password }, new RequestInfo { IsSuperuser = true, Context = "cli" }, ct: ct);
        var (s, auth) = await SendAsync(app.Client, HttpMethod.Post, "/p/shop/api/collections/_superusers/auth-with-password", new { identity = "owner@shop.io", password = Password }, ct);
        Assert.Equal(200, s);
        using var owner = app.CreateClient();
        owner.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", auth!["token"]!.GetValue<string>());
        var (denied, err) = await SendAsync(owner, HttpMethod.Post, "/p/shop/api/sql", new { query = "select * from p_main._superusers" }, ct);
        Assert.Equal(403, denied);
        Assert.Equal(403, err!["status"]!.GetValue<int>());
        Assert.Equal(200, (await RunAsync(su, "select 1", ct)).Status);
    }
}
