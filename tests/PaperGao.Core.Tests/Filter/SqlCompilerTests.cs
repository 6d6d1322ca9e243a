using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Tests.Filter;

/// <summary>The SQL text and parameters the compiler produces, through both dialects.</summary>
public class SqlCompilerTests
{
    private static (string Sql, IReadOnlyList<object?> Params, List<string> Joins) Compile(ISqlDialect d, string filter, RequestInfo? request = null, bool client = false)
    {
        var ctx = FilterTestSchema.Context(d, FilterTestSchema.Posts, request, client);
        return (FilterCompiler.CompileFilter(filter, ctx), ctx.Params.Values, ctx.Joins);
    }

    public static TheoryData<string, string, string, object?[]> Cases => new()
    {
        { "title = 'abc'", "(t.\"title\" = @p0)", "(t.\"title\" = @p0)", ["abc"] },
        { "title = ''", "((t.\"title\" = '' OR t.\"title\" IS NULL))", "((t.\"title\" = '' OR t.\"title\" IS NULL))", [] },
        { "title = null", "((t.\"title\" = '' OR t.\"title\" IS NULL))", "((t.\"title\" = '' OR t.\"title\" IS NULL))", [] },
        { "title != 'abc'", "(t.\"title\" IS NOT @p0)", "(t.\"title\" IS DISTINCT FROM @p0)", ["abc"] },
        { "title != ''", "((t.\"title\" <> '' AND t.\"title\" IS NOT NULL))", "((t.\"title\" <> '' AND t.\"title\" IS NOT NULL))", [] },
        { "title = author", "(COALESCE(t.\"title\", '') = COALESCE(t.\"author\", ''))", "(COALESCE(t.\"title\", '') = COALESCE(t.\"author\", ''))", [] },
        { "title ~ 'ab_c'", "(t.\"title\" LIKE @p0 ESCAPE '\\')", "(t.\"title\" ILIKE @p0 ESCAPE '\\')", ["%ab\\_c%"] },
        { "title ~ 'Lorem%'", "(t.\"title\" LIKE @p0 ESCAPE '\\')", "(t.\"title\" ILIKE @p0 ESCAPE '\\')", ["Lorem%"] },
        { "title !~ '50\\%'", "(t.\"title\" NOT LIKE @p0 ESCAPE '\\')", "(t.\"title\" NOT ILIKE @p0 ESCAPE '\\')", ["%50\\\\\\%%"] },
        { "views > 10 && (title = 'a' || title = 'b')", "(t.\"views\" > @p0 AND (t.\"title\" = @p1 OR t.\"title\" = @p2))", "(t.\"views\" > @p0 AND (t.\"title\" = @p1 OR t.\"title\" = @p2))", [10L, "a", "b"] },
        { "views > '10'", "(t.\"views\" > @p0)", "(t.\"views\" > @p0)", [10L] },
        { "views > 1.5", "(t.\"views\" > @p0)", "(t.\"views\" > @p0)", [1.5] },
        { "title = 5", "(t.\"title\" = @p0)", "(t.\"title\" = @p0)", ["5"] },
        { "views = 'abc'", "(1=0)", "(1=0)", [] },
        { "active = true", "(t.\"active\" = 1)", "(t.\"active\" = TRUE)", [] },
        { "active = views", "(t.\"active\" IS t.\"views\")", "(CAST(t.\"active\" AS INTEGER) IS NOT DISTINCT FROM t.\"views\")", [] },
        { "title > views", "(t.\"title\" > t.\"views\")", "((CASE WHEN t.\"title\" ~ '^\\s*[-+]?([0-9]{1,200}(\\.[0-9]{0,200})?|\\.[0-9]{1,200})([eE][-+]?[0-9]{1,2})?\\s*$' THEN CAST(t.\"title\" AS DOUBLE PRECISION) END) > t.\"views\")", [] },
        { "tags:length > 1", "(json_array_length(CASE WHEN json_valid(t.\"tags\") THEN t.\"tags\" ELSE (CASE WHEN t.\"tags\" = '' OR t.\"tags\" IS NULL THEN json_array() ELSE json_array(t.\"tags\") END) END) > @p0)", "((CASE WHEN jsonb_typeof(t.\"tags\") = 'array' THEN jsonb_array_length(t.\"tags\") WHEN t.\"tags\" IS NULL THEN 0 ELSE 1 END) > @p0)", [1L] },
        { "data.a.b = 1", "((CASE WHEN json_valid(t.\"data\") THEN json_extract(t.\"data\", '$.a.b') ELSE NULL END) = @p0)", "((CASE jsonb_typeof(t.\"data\" #> '{a,b}') WHEN 'number' THEN CAST(t.\"data\" #>> '{a,b}' AS DOUBLE PRECISION) WHEN 'boolean' THEN (CASE WHEN t.\"data\" #>> '{a,b}' = 'true' THEN 1 ELSE 0 END) END) = @p0)", [1L] },
        { "@request.auth.id = ''", "(1=1)", "(1=1)", [] },
        { "1 = 1", "(@p0 = @p1)", "(@p0 = @p1)", [1L, 1L] },
    };

    private static string[] Str(IEnumerable<object?> values) =>
        [.. values.Select(v => System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null")];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compiles(string filter, string sqlite, string postgres, object?[] parameters)
    {
        var s = Compile(SqliteDialect.Instance, filter);
        Assert.Equal(sqlite, s.Sql);
        Assert.Equal(Str(parameters), Str(s.Params));
        var p = Compile(PostgresDialect.Instance, filter);
        Assert.Equal(postgres, p.Sql);
        Assert.Equal(Str(parameters), Str(p.Params));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void SingleRelation_UsesDeterministicLeftJoin(string dialect)
    {
        ISqlDialect d = dialect == "sqlite" ? SqliteDialect.Instance : PostgresDialect.Instance;
        var a = Compile(d, "author.name = 'x' && author.verified = true");
        var join = Assert.Single(a.Joins);
        Assert.Matches("^LEFT JOIN \"users\" AS (t_r[0-9a-f]{8}) ON \\1\\.\"id\" = t\\.\"author\"$", join);
        Assert.DoesNotContain("EXISTS", a.Sql, StringComparison.Ordinal);
        // same path ⇒ same join text in another context (callers de-duplicate)
        var b = Compile(d, "author.name = 'y'");
        Assert.Equal(join, Assert.Single(b.Joins));
    }

    [Theory]
    [InlineData("sqlite", "json_each(")]
    [InlineData("postgres", "jsonb_array_elements_text(")]
    public void MultiValued_UsesExistsAndNotExists(string dialect, string each)
    {
        ISqlDialect d = dialect == "sqlite" ? SqliteDialect.Instance : PostgresDialect.Instance;
        var any = Compile(d, "editors.name ?= 'x'");
        Assert.Empty(any.Joins);
        Assert.StartsWith("(EXISTS (SELECT 1 FROM (SELECT 1 AS x) AS t_s0 LEFT JOIN " + each, any.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT EXISTS", any.Sql, StringComparison.Ordinal);
        var all = Compile(d, "editors.name = 'x'");
        Assert.Contains("AND NOT EXISTS (SELECT 1 FROM (SELECT 1 AS x) AS t_m1_0", all.Sql, StringComparison.Ordinal);
        Assert.Contains("WHERE NOT (", all.Sql, StringComparison.Ordinal);
        // plain conditions stay outside the EXISTS
        var mixed = Compile(d, "views > 1 && comments_via_post.message ?= 'x'");
        Assert.StartsWith("(t.\"views\" > @p0 AND EXISTS (", mixed.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthRecord_NonStaticFields_AreASubquery_AndGuestsAreNull()
    {
        var user = new RequestInfo { Auth = FilterTestSchema.UserRecord("u1") };
        var s = Compile(SqliteDialect.Instance, "@request.auth.name = 'Alice'", user);
        Assert.Equal("(EXISTS (SELECT 1 FROM (SELECT 1 AS x) AS t_s0 LEFT JOIN \"users\" AS t_s1 ON t_s1.\"id\" = @p0 WHERE t_s1.\"name\" = @p1))", s.Sql);
        Assert.Equal(["u1", "Alice"], s.Params);
        var g = Compile(SqliteDialect.Instance, "@request.auth.name = 'Alice' || @request.auth.id = ''");
        Assert.Equal("((1=0 OR 1=1))", g.Sql);
        Assert.Empty(g.Params);
    }

    [Fact]
    public void UserInputNeverBecomesSqlText()
    {
        const string evil = "x'); DROP TABLE posts; --";
        foreach (var d in new ISqlDialect[] { SqliteDialect.Instance, PostgresDialect.Instance })
        {
            var r = Compile(d, $"title = \"{evil}\" || title ~ \"{evil}\" || data.a = \"{evil}\"");
            Assert.DoesNotContain("DROP", r.Sql, StringComparison.Ordinal);
            Assert.Contains(evil, r.Params.OfType<string>());
        }
    }

    [Theory]
    [InlineData("sqlite", "t.\"created\" DESC, t.\"title\" ASC, t.\"id\" ASC")]
    [InlineData("postgres", "t.\"created\" DESC, t.\"title\" ASC, t.\"id\" ASC")]
    public void Sort_Compiles(string dialect, string expected)
    {
        ISqlDialect d = dialect == "sqlite" ? SqliteDialect.Instance : PostgresDialect.Instance;
        var ctx = FilterTestSchema.Context(d, FilterTestSchema.Posts);
        Assert.Equal(expected, FilterCompiler.CompileSort("-created,title,+id", ctx));
        Assert.Equal("", FilterCompiler.CompileSort("", ctx));
        Assert.Equal("RANDOM()", FilterCompiler.CompileSort("@random", ctx));
        Assert.Equal(dialect == "sqlite" ? "t._rowid_ ASC" : "t.ctid ASC", FilterCompiler.CompileSort("@rowid", ctx));
    }

    [Fact]
    public void Strftime_Postgres_TranslatesFormats_AndRejectsUnknown()
    {
        var p = Compile(PostgresDialect.Instance, "strftime('%Y-%m-%d %H:%M:%S', created) = '2024-01-01 00:00:00'");
        Assert.Contains("to_char(", p.Sql, StringComparison.Ordinal);
        Assert.Contains("'YYYY'", p.Sql, StringComparison.Ordinal);
        var ex = Assert.Throws<FilterException>(() => Compile(PostgresDialect.Instance, "strftime('%Q', created) = ''"));
        Assert.Contains("%Q", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FilterException>(() => Compile(PostgresDialect.Instance, "strftime('%Y', created, 'localtime') = ''"));
        var s = Compile(SqliteDialect.Instance, "strftime('%Y', created) = '2024'");
        Assert.Equal("(COALESCE(strftime(@p0, t.\"created\"), '') = @p1)", s.Sql);
    }
}
