using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Tests.Filter;

/// <summary>Runs compiled filters against a real database and checks which ids come back.</summary>
public abstract class FilterExecutionTestsBase : IAsyncLifetime
{
    protected DbConnection? Conn;
    protected abstract ISqlDialect Dialect { get; }
    protected abstract Task<DbConnection?> OpenAsync();
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        Conn = await OpenAsync();
        if (Conn is not null) await FilterTestSchema.CreateAsync(Conn, Dialect);
    }

    public async ValueTask DisposeAsync()
    {
        if (Conn is not null)
        {
            await CleanupAsync();
            await Conn.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    private DbConnection Db => Conn ?? throw new InvalidOperationException();

    protected virtual void RequireDb() { }

    private async Task<List<string>> QueryIds(Collection c, RecordQueryContext ctx, string where, string orderBy)
    {
        var d = Dialect;
        var sql = $"SELECT t.{d.Quote("id")} FROM {d.Quote(c.Name)} AS t {string.Join(" ", ctx.Joins)} WHERE {where} ORDER BY {orderBy}";
        await using var cmd = Db.CreateCommand();
        cmd.CommandText = sql;
        ctx.Params.BindTo(cmd, d);
        var ids = new List<string>();
        try
        {
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetString(0));
        }
        catch (DbException ex)
        {
            throw new InvalidOperationException($"SQL failed: {ex.Message}\n{sql}", ex);
        }
        return ids;
    }

    protected async Task<string> Ids(string filter, Collection? c = null, RequestInfo? request = null, bool client = false)
    {
        RequireDb();
        c ??= FilterTestSchema.Posts;
        var ctx = FilterTestSchema.Context(Dialect, c, request, client);
        var where = FilterCompiler.CompileFilter(filter, ctx);
        return string.Join(",", await QueryIds(c, ctx, where, "t." + Dialect.Quote("id")));
    }

    protected async Task<string> Sorted(string sort, Collection? c = null, RequestInfo? request = null, bool client = false)
    {
        RequireDb();
        c ??= FilterTestSchema.Posts;
        var ctx = FilterTestSchema.Context(Dialect, c, request, client);
        var order = FilterCompiler.CompileSort(sort, ctx);
        return string.Join(",", await QueryIds(c, ctx, "1=1", order + ", t." + Dialect.Quote("id")));
    }

    private static RequestInfo User(string id) => new() { Auth = FilterTestSchema.UserRecord(id) };

    [Theory]
    // equality and the null / "" rules
    [InlineData("title = \"Hello World\"", "p1")]
    [InlineData("title = ''", "p3")]
    [InlineData("title = null", "p3")]
    [InlineData("null = title", "p3")]
    [InlineData("title != ''", "p1,p2,p4")]
    [InlineData("title != null", "p1,p2,p4")]
    [InlineData("title != 'Hello World'", "p2,p3,p4")]
    [InlineData("title = 5", "")]
    [InlineData("author = author", "p1,p2,p3,p4")]
    [InlineData("title = author", "p3")]
    [InlineData("1 = 1", "p1,p2,p3,p4")]
    [InlineData("'a' = 'b'", "")]
    [InlineData("null = ''", "p1,p2,p3,p4")]
    [InlineData("1 = '1'", "p1,p2,p3,p4")]
    [InlineData("true = 1", "p1,p2,p3,p4")]
    // numbers, including text literals and SQLite's "numbers sort before texts"
    [InlineData("views > 5", "p1,p4")]
    [InlineData("views > '5'", "p1,p4")]
    [InlineData("views = '10'", "p1")]
    [InlineData("views >= 5 && views <= 10", "p1,p2")]
    [InlineData("views = 10 || views = 20", "p1,p4")]
    [InlineData("views < 'abc'", "p1,p2,p3,p4")]
    [InlineData("views = 'abc'", "")]
    [InlineData("views != 'abc'", "p1,p2,p3,p4")]
    [InlineData("views > -1.5 && views < 10.5", "p1,p2,p3")]
    [InlineData("views = 0", "p3")]
    [InlineData("views = ''", "")]
    // booleans
    [InlineData("active = true", "p1,p4")]
    [InlineData("active = false", "p2,p3")]
    [InlineData("active = 1", "p1,p4")]
    [InlineData("active != true", "p2,p3")]
    [InlineData("active = 'true'", "")]
    [InlineData("active = views", "p3")]
    [InlineData("active < views", "p1,p2,p4")]
    // LIKE
    [InlineData("title ~ 'hello'", "p1")]
    [InlineData("title ~ 'HELLO wOrLd'", "p1")]
    [InlineData("title !~ 'hello'", "p2,p3,p4")]
    [InlineData("title ~ '100%'", "p2")]
    [InlineData("title ~ 'Hello%'", "p1")]
    [InlineData("title ~ '%World'", "p1")]
    [InlineData("title ~ '%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%World'", "p1")]
    [InlineData("title ~ 'H_llo%'", "p1")]
    [InlineData("title ~ '_'", "p2")]
    [InlineData("title ~ 'o_W'", "")]
    [InlineData("title ~ 'back\\slash'", "p4")]
    [InlineData("title ~ 'k\\s'", "p4")]
    [InlineData("title ~ 'k\\s%'", "")]
    [InlineData("views ~ '1'", "p1")]
    [InlineData("title ~ title", "p1,p2,p3,p4")]
    [InlineData("title:lower = 'hello world'", "p1")]
    // multi-valued fields: bare JSON text, :each, :length
    [InlineData("tags = 'a'", "")]
    [InlineData("tags = '[\"a\"]'", "p2")]
    [InlineData("tags ~ 'a'", "p1,p2")]
    [InlineData("tags:each ?= 'a'", "p1,p2")]
    [InlineData("tags:each = 'a'", "p2")]
    [InlineData("tags:each != 'a'", "p3,p4")]
    [InlineData("tags:each ?!= 'a'", "p1,p3,p4")]
    [InlineData("tags:each ?~ 'b'", "p1")]
    [InlineData("tags:length = 2", "p1")]
    [InlineData("tags:length = 0", "p3")]
    [InlineData("tags:length > 0 && tags:each = 'a'", "p2")]
    // one joined row for the whole filter (PocketBase's join semantics)
    [InlineData("tags:each ?= 'a' && tags:each ?= 'b'", "")]
    [InlineData("tags ~ 'a' && tags ~ 'b'", "p1")]
    // single relations
    [InlineData("author.name = 'Alice'", "p1,p4")]
    [InlineData("author.name = ''", "p3")]
    [InlineData("author.id = 'u1'", "p1,p4")]
    [InlineData("author = 'u1'", "p1,p4")]
    [InlineData("author.verified = true", "p1,p4")]
    [InlineData("author.friends.name ?= 'Bob'", "p1,p4")]
    [InlineData("author.friends:length = 1", "p1,p4")]
    // multiple relations
    [InlineData("editors.name = 'Alice'", "p4")]
    [InlineData("editors.name ?= 'Bob'", "p1,p2")]
    [InlineData("editors.id ?= 'u2'", "p1,p2")]
    [InlineData("editors.name != 'Bob'", "p3,p4")]
    [InlineData("editors:length > 1", "p1")]
    [InlineData("editors.verified ?= true && editors.name ?= 'Bob'", "")]
    // back-relations
    [InlineData("comments_via_post.message ?= 'great'", "p1,p2")]
    [InlineData("comments_via_post.message = 'great'", "p2")]
    [InlineData("comments_via_post.author.name ?= 'Alice'", "p1,p2")]
    [InlineData("comments_via_post.message ?= 'great' && comments_via_post.author.name ?= 'Alice'", "p2")]
    [InlineData("comments_via_post.id ?= 'c2'", "p1")]
    [InlineData("comments_via_post.id = ''", "p3,p4")]
    // JSON and geoPoint
    [InlineData("data.a.b = 1", "p1")]
    [InlineData("data.a.b > 1", "p2")]
    [InlineData("data.items.0.x = 'y'", "p1")]
    [InlineData("data.n = 5", "p1")]
    [InlineData("data.s = '5'", "p1")]
    [InlineData("data.flag = true", "p1")]
    [InlineData("data.flag = false", "p2")]
    [InlineData("data = 5", "p4")]
    [InlineData("data = null", "p3")]
    [InlineData("data.missing = null", "p1,p2,p3,p4")]
    [InlineData("data.a.b != 1", "p2,p3,p4")]
    [InlineData("loc.lon > 20", "p1,p2")]
    [InlineData("geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 30 && geoDistance(loc.lon, loc.lat, 23.32, 42.69) > 20", "p2")]
    [InlineData("geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 1", "p1")]
    // dates, macros, strftime
    [InlineData("created >= '2024-01-01'", "p1,p2")]
    [InlineData("created < @now", "p1,p2,p3,p4")]
    [InlineData("@now > '2020-01-01' && @year >= 2024 && @month >= 1 && @weekday <= 6", "p1,p2,p3,p4")]
    [InlineData("@todayStart < @todayEnd && @yesterday < @tomorrow && @monthStart < @monthEnd && @yearStart < @yearEnd", "p1,p2,p3,p4")]
    [InlineData("strftime('%Y', created) = '2024'", "p1")]
    [InlineData("strftime('%Y-%m', created) = '2025-06'", "p2")]
    [InlineData("strftime('%d/%m %H:%M:%S', created) = '31/12 23:59:59'", "p4")]
    [InlineData("strftime('%Y', created) = ''", "p3")]
    [InlineData("strftime('%Y', created, 'start of year', '+1 day') = '2024'", "p1")]
    [InlineData("strftime('%Y-%m-%d', created, '+1 day') = '2024-01-01'", "p4")]
    [InlineData("strftime('%s', '2024-01-01 00:00:00.000Z') = '1704067200'", "p1,p2,p3,p4")]
    [InlineData("strftime('%w %j', '2024-01-07') = '0 007'", "p1,p2,p3,p4")]
    [InlineData("strftime('%Y', 1704067200, 'unixepoch') = '2024'", "p1,p2,p3,p4")]
    [InlineData("strftime('%Y', '2024-02-30') = ''", "p1,p2,p3,p4")]
    // @request.* for a guest
    [InlineData("author = @request.auth.id", "p3")]
    [InlineData("@request.auth.id != '' && author = @request.auth.id", "")]
    [InlineData("@request.auth.name = 'Alice'", "")]
    [InlineData("@request.auth.team.name = 'x'", "")]
    [InlineData("@request.method = 'GET' && @request.context = 'default'", "p1,p2,p3,p4")]
    [InlineData("@request.headers.missing = null && @request.query.missing:isset = false", "p1,p2,p3,p4")]
    // @collection
    [InlineData("@collection.comments.post ?= id", "p1,p2")]
    [InlineData("@collection.comments.post ?= id && @collection.comments.message ?= 'meh'", "p1")]
    [InlineData("@collection.comments.post ?= id && @collection.comments:other.message ?= 'meh'", "p1,p2")]
    [InlineData("@collection.users.name ?= 'Bob'", "p1,p2,p3,p4")]
    [InlineData("@collection.users.name = 'Bob'", "")]
    // hidden fields are fine in rules
    [InlineData("internal = 'x'", "p1")]
    [InlineData("author.secret = 's1'", "p1,p4")]
    public async Task Filter_ReturnsIds(string filter, string expected)
    {
        Assert.Equal(expected, await Ids(filter));
    }

    [Theory]
    [InlineData("author = @request.auth.id", "p1,p4")]
    [InlineData("@request.auth.id != '' && author = @request.auth.id", "p1,p4")]
    [InlineData("@request.auth.name = 'Alice'", "p1,p2,p3,p4")]
    [InlineData("@request.auth.verified = true && @request.auth.collectionName = 'users'", "p1,p2,p3,p4")]
    [InlineData("@request.auth.friends.name ?= 'Bob'", "p1,p2,p3,p4")]
    [InlineData("editors.id ?= @request.auth.id", "p1,p4")]
    [InlineData("@request.auth.id ?= editors.id && @request.auth.name = 'Alice' && views > 5", "p1,p4")]
    [InlineData("@request.auth.secret = 's1'", "p1,p2,p3,p4")]
    [InlineData("@request.auth.name:lower = 'alice'", "p1,p2,p3,p4")]
    public async Task Filter_AsUser(string filter, string expected)
    {
        Assert.Equal(expected, await Ids(filter, request: User("u1")));
    }

    [Fact]
    public async Task Filter_RequestBodyAndQuery()
    {
        var req = new RequestInfo
        {
            Auth = FilterTestSchema.UserRecord("u2"),
            Method = "POST",
            Query = new Dictionary<string, string> { ["q"] = "x" },
            Headers = new Dictionary<string, string> { ["x_token"] = "T" },
            Body = JsonNode.Parse("""{"title":"Hello World","views":"6","tags":["a","c"],"author":"u1","data":{"k":"v"},"empty":""}""")!.AsObject(),
        };
        Assert.Equal("p2,p3,p4", await Ids("@request.body.title:changed = true", request: req));
        Assert.Equal("p1", await Ids("@request.body.title:changed = false", request: req));
        Assert.Equal("", await Ids("@request.body.active:changed = true", request: req));
        Assert.Equal("p2,p3", await Ids("@request.body.views > views", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.query.q = 'x' && @request.headers.x_token = 'T' && @request.method = 'POST'", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.body.tags:length = 2 && @request.body.title:isset = true && @request.body.nope:isset = false", request: req));
        Assert.Equal("p1,p2,p4", await Ids("@request.body.tags:each ?= tags:each", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.body.tags:each ?= 'c'", request: req));
        Assert.Equal("", await Ids("@request.body.tags:each = 'c'", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.body.author.name = 'Alice'", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.body.data.k = 'v' && @request.body.missing = null && @request.body.empty = null", request: req));
        Assert.Equal("p1,p2,p3,p4", await Ids("@request.body.title:lower = 'hello world'", request: req));
    }

    [Fact]
    public async Task ClientFilter_HiddenAndForbiddenAndRelatedListRules()
    {
        // hidden fields are unknown for client filters of non-superusers
        var ex = await Assert.ThrowsAsync<FilterException>(() => Ids("internal = 'x'", client: true));
        Assert.False(ex.Forbidden);
        await Assert.ThrowsAsync<FilterException>(() => Ids("author.secret = 's1'", client: true));
        await Assert.ThrowsAsync<FilterException>(() => Sorted("internal", client: true));
        // @request / @collection are 403
        Assert.True((await Assert.ThrowsAsync<FilterException>(() => Ids("@request.auth.id = ''", client: true))).Forbidden);
        Assert.True((await Assert.ThrowsAsync<FilterException>(() => Ids("@collection.users.id ?= author", client: true))).Forbidden);
        Assert.True((await Assert.ThrowsAsync<FilterException>(() => Sorted("@request.auth.id", client: true))).Forbidden);
        // users' listRule is "id = @request.auth.id": a guest can't probe authors' names through the relation
        Assert.Equal("", await Ids("author.name = 'Alice'", client: true));
        Assert.Equal("p1,p4", await Ids("author.name = 'Alice'", request: User("u1"), client: true));
        Assert.Equal("", await Ids("author.name = 'Bob'", request: User("u1"), client: true));
        Assert.Equal("", await Ids("editors.name ?= 'Bob'", request: User("u1"), client: true));
        Assert.Equal("p1,p2", await Ids("comments_via_post.message ?= 'great'", client: true));
        // auth email only where emailVisibility is on
        Assert.Equal("u1", await Ids("email = 'a@x.com'", FilterTestSchema.Users, User("u1"), client: true));
        Assert.Equal("", await Ids("email = 'b@x.com'", FilterTestSchema.Users, User("u1"), client: true));
        Assert.Equal("u2", await Ids("email = 'b@x.com'", FilterTestSchema.Users));
    }

    [Theory]
    [InlineData("-views", "p4,p1,p2,p3")]
    [InlineData("views", "p3,p2,p1,p4")]
    [InlineData("+views", "p3,p2,p1,p4")]
    [InlineData("author.name,-views", "p3,p4,p1,p2")]
    [InlineData("-author.name,views", "p2,p1,p4,p3")]
    [InlineData("-active,title", "p1,p4,p3,p2")]
    [InlineData("data.a.b", "p3,p4,p1,p2")]
    [InlineData("-tags:length", "p1,p2,p4,p3")]
    [InlineData("-comments_via_post.message", "p1,p2,p3,p4")]
    [InlineData("@rowid", "p1,p2,p3,p4")]
    [InlineData("-created", "p2,p1,p4,p3")]
    public async Task Sort_Orders(string sort, string expected)
    {
        Assert.Equal(expected, await Sorted(sort));
    }

    [Fact]
    public async Task Sort_RandomAndErrors()
    {
        Assert.Equal(4, (await Sorted("@random")).Split(',').Length);
        await Assert.ThrowsAsync<FilterException>(() => Sorted("@now"));
        await Assert.ThrowsAsync<FilterException>(() => Sorted("null"));
        await Assert.ThrowsAsync<FilterException>(() => Sorted("nope"));
    }

    [Theory]
    [InlineData("nope = 1", "unknown field 'nope'")]
    [InlineData("author.nope = 1", "unknown field 'nope'")]
    [InlineData("title.x = 1", "has no sub-fields")]
    [InlineData("title:each ?= 1", "only allowed for multi-valued")]
    [InlineData("title:length = 1", "only allowed for multi-valued")]
    [InlineData("title:bogus = 1", "unknown modifier")]
    [InlineData("title:isset = true", "only allowed for @request")]
    [InlineData("tags:each.x = 1", "invalid modifier")]
    [InlineData("@collection.nope.id ?= id", "unknown collection")]
    [InlineData("@collection.users ?= id", "a field is required")]
    [InlineData("@request.nope = 1", "unknown @request field")]
    [InlineData("@foo = 1", "unknown identifier")]
    [InlineData("nope(1) = 1", "unknown function")]
    [InlineData("geoDistance(1,2,3) = 1", "4 arguments")]
    [InlineData("strftime(created) = 1", "format must be a quoted text")]
    [InlineData("strftime('%Y', created, 1) = 1", "modifiers must be quoted")]
    [InlineData("author.friends.friends.friends.friends.friends.friends.name = 'x'", "too deep")]
    [InlineData("comments_via_nope.id = 1", "unknown field")]
    [InlineData("title ~ '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b'", "too many wildcards")]
    public async Task Filter_Errors(string filter, string message)
    {
        RequireDb();
        var ex = await Assert.ThrowsAsync<FilterException>(() => Ids(filter));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title = '1\\' OR 1=1 --'")]
    [InlineData("title = \"'; DROP TABLE posts; --\"")]
    [InlineData("title ~ '%' && title ~ '\\%' && title ~ '\\\\'")]
    [InlineData("title = 'Robert\"); DROP TABLE posts;--'")]
    [InlineData("data.a.b = 'x' || data.items.99.x = 'y' || views > '9e999' || views < '-' || views > '1e5'")]
    [InlineData("title ~ views || views ~ title || active ~ 'x' || data ~ 'x' || tags:each ~ views || created > views || data.a > active")]
    [InlineData("strftime('%Y', views) = '' || strftime('%Y', data.a) = '' || strftime('%Y', tags) = '' || strftime('%Y', 'garbage') = ''")]
    [InlineData("geoDistance(title, data.a, 'x', 1e5) > 0 || geoDistance(views, views, 99999, -99999) > 0")]
    public async Task Filter_HostileInputs_NeverBreakSql(string filter)
    {
        RequireDb();
        try
        {
            _ = await Ids(filter);
        }
        catch (FilterException)
        {
            // a clean 400 is fine too
        }
        Assert.Equal("p1,p2,p3,p4", await Ids("id != ''"));
    }
}

public sealed class SqliteFilterExecutionTests : FilterExecutionTestsBase
{
    protected override ISqlDialect Dialect => SqliteDialect.Instance;

    protected override async Task<DbConnection?> OpenAsync()
    {
        var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        return c;
    }
}

/// <summary>The same cases on PostgreSQL when PAPERGAO_TEST_PG holds an Npgsql connection string.</summary>
public sealed class PostgresFilterExecutionTests : FilterExecutionTestsBase
{
    private static readonly string? ConnectionString = Environment.GetEnvironmentVariable("PAPERGAO_TEST_PG");
    private readonly string _schema = "filter_" + Guid.NewGuid().ToString("N")[..12];

    protected override ISqlDialect Dialect => PostgresDialect.Instance;

    protected override void RequireDb()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return;
        if (Environment.GetEnvironmentVariable("PAPERGAO_REQUIRE_POSTGRES") is "1" or "true")
            Assert.Fail("PostgreSQL is required (PAPERGAO_REQUIRE_POSTGRES=1) but PAPERGAO_TEST_PG is not set.");
        Assert.Skip("PostgreSQL filter tests skipped: set PAPERGAO_TEST_PG to an Npgsql connection string to run them.");
    }

    protected override async Task<DbConnection?> OpenAsync()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString)) return null;
        var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"CREATE SCHEMA {_schema}; SET search_path TO {_schema}";
        await cmd.ExecuteNonQueryAsync();
        return c;
    }

    protected override async Task CleanupAsync()
    {
        await using var cmd = Conn!.CreateCommand();
        cmd.CommandText = $"DROP SCHEMA {_schema} CASCADE";
        await cmd.ExecuteNonQueryAsync();
    }
}
