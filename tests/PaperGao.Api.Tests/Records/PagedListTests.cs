using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Records;

namespace PaperGao.Api.Tests.Records;

/// <summary>
/// The paged-list piece the records (REST and GraphQL), collections and logs lists share: its SQL text and page
/// arithmetic. What the lists answer end to end is covered by their own API tests on both databases.
/// </summary>
public sealed class PagedListTests
{
    [Fact]
    public void From_where_quotes_the_table_keeps_each_join_once_and_leaves_out_empty_conditions()
    {
        var joins = new[] { "LEFT JOIN \"users\" AS j1 ON 1=1", "LEFT JOIN \"users\" AS j1 ON 1=1", "LEFT JOIN \"x\" AS j2 ON 1=1" };
        Assert.Equal(" FROM \"posts\" AS t LEFT JOIN \"users\" AS j1 ON 1=1 LEFT JOIN \"x\" AS j2 ON 1=1 WHERE (a) AND (b)",
            PagedList.FromWhere(SqliteDialect.Instance, "posts", joins, "(a)", null, "", "(b)"));
        Assert.Equal(" FROM \"posts\" AS t", PagedList.FromWhere(PostgresDialect.Instance, "posts", [], null, ""));
        // A table name is an identifier: quoted by the dialect, never spliced raw.
        Assert.Equal(" FROM \"a\"\"b\" AS t", PagedList.FromWhere(SqliteDialect.Instance, "a\"b", []));
    }

    [Fact]
    public void From_source_where_takes_a_derived_table_as_it_is()
    {
        // The realtime rule check of a deleted record selects from its row as a derived table.
        Assert.Equal(" FROM (SELECT @p0 AS \"id\") AS t LEFT JOIN \"u\" AS j ON 1=1 WHERE t.\"id\" = @p1 AND (r)",
            PagedList.FromSourceWhere("(SELECT @p0 AS \"id\")", ["LEFT JOIN \"u\" AS j ON 1=1", "LEFT JOIN \"u\" AS j ON 1=1"], "t.\"id\" = @p1", "", "(r)"));
        Assert.Equal(" FROM \"posts\" AS t WHERE (a)", PagedList.FromSourceWhere("\"posts\"", [], null, "(a)"));
    }

    [Fact]
    public void The_page_statement_orders_limits_and_offsets()
    {
        var window = new ListQuery(3, 20, "", "", false, "").Window;
        Assert.Equal("SELECT t.\"id\" FROM \"posts\" AS t ORDER BY t.\"created\" DESC LIMIT 20 OFFSET 40",
            PagedList.PageSql("t.\"id\"", " FROM \"posts\" AS t", "t.\"created\" DESC", window));
        Assert.Equal("SELECT * FROM x LIMIT 20 OFFSET 40", PagedList.PageSql("*", " FROM x", null, window));
        // Large pages do not overflow the offset.
        Assert.Equal(((long)int.MaxValue - 1) * 1000, new PageWindow(int.MaxValue, 1000, false).Offset);
    }

    [Theory]
    [InlineData(-1, 30, -1)]
    [InlineData(0, 30, 0)]
    [InlineData(1, 30, 1)]
    [InlineData(30, 30, 1)]
    [InlineData(31, 30, 2)]
    [InlineData(5000, 20, 250)]
    public void Total_pages_round_up_and_stay_minus_one_when_the_count_is_skipped(long totalItems, int perPage, long pages) =>
        Assert.Equal(pages, new PageWindow(1, perPage, totalItems < 0).TotalPages(totalItems));
}
