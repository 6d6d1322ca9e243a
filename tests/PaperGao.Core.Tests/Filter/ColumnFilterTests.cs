using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Filter;
using PaperGao.Core.Logs;
using PaperGao.Core.Records;

namespace PaperGao.Core.Tests.Filter;

/// <summary>
/// Filters over a fixed table's columns (<see cref="ColumnFilterContext"/>: the logs and collections lists). They compile
/// to the same SQL as over a collection with the same fields, which is how those lists were filtered before they had
/// their own field resolver, and they know nothing but their columns.
/// </summary>
public class ColumnFilterTests
{
    /// <summary>"_logs" as a collection of the same fields (what the logs list's filter used to be compiled against).</summary>
    private static readonly Collection LogsAsCollection = new()
    {
        Id = LogSchema.LogsTable,
        Name = LogSchema.LogsTable,
        Fields =
        [
            new TextField { Name = "id" },
            new AutodateField { Name = "created", OnCreate = true },
            new NumberField { Name = "level" },
            new TextField { Name = "message" },
            new JsonField { Name = "data" },
        ],
    };

    private static ColumnFilterContext Columns(ISqlDialect d) => new() { Columns = LogSchema.FilterColumns, Dialect = d, Params = new SqlParams() };

    private static RecordQueryContext AsCollection(ISqlDialect d) => new()
    {
        Collection = LogsAsCollection,
        Collections = new CollectionSet([LogsAsCollection], 0),
        Dialect = d,
        Params = new SqlParams(),
        AllowHiddenFields = true,
    };

    public static TheoryData<string> Filters => new()
    {
        "level >= 4",
        "data.status = 404 && data.auth = 'guest'",
        "message ~ '/api/collections' || level != 0",
        "data.url:lower ~ 'probe=info'",
        "message:lower = 'x'",
        "data = null",
        "created > @now && created < '2030-01-01'",
        "geoDistance(level, level, 1, 2) < 10",
        "strftime('%Y', created) = '2026'",
        "id = null",
        "true = level",
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Filters_compile_as_over_a_collection_of_the_same_fields(string filter)
    {
        foreach (ISqlDialect d in (ISqlDialect[])[SqliteDialect.Instance, PostgresDialect.Instance])
        {
            var columns = Columns(d);
            var collection = AsCollection(d);
            Assert.Equal(FilterCompiler.CompileFilter(filter, collection), FilterCompiler.CompileFilter(filter, columns));
            Assert.Equal(collection.Params.Values.Count, columns.Params.Values.Count);
            Assert.Empty(columns.Joins);
        }
    }

    [Theory]
    [InlineData("-created,id")]
    [InlineData("-data.status,created")]
    [InlineData("level,message:lower")]
    [InlineData("@rowid")]
    public void Sorts_compile_as_over_a_collection_of_the_same_fields(string sort)
    {
        foreach (ISqlDialect d in (ISqlDialect[])[SqliteDialect.Instance, PostgresDialect.Instance])
            Assert.Equal(FilterCompiler.CompileSort(sort, AsCollection(d)), FilterCompiler.CompileSort(sort, Columns(d)));
    }

    [Theory]
    [InlineData("nosuchfield = 1", "unknown field 'nosuchfield'")]
    [InlineData("level.x = 1", "has no sub-fields")]
    [InlineData("@request.auth.id = ''", "unknown identifier")]
    [InlineData("@collection.users.id = ''", "unknown identifier")]
    [InlineData("#x = 1", "unknown identifier")]
    [InlineData("message:each = 'a'", "only allowed for multi-valued fields")]
    [InlineData("data.a:length = 1", "not supported for JSON paths")]
    [InlineData("level:isset = true", "only allowed for @request.* fields")]
    [InlineData("messages_via_log = 1", "unknown field")]
    public void Anything_but_its_columns_is_a_filter_error(string filter, string message)
    {
        var ex = Assert.Throws<FilterException>(() => FilterCompiler.CompileFilter(filter, Columns(SqliteDialect.Instance)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Forbidden);
        Assert.Throws<FilterException>(() => FilterCompiler.CompileSort(filter.Split(' ')[0], Columns(PostgresDialect.Instance)));
    }
}
