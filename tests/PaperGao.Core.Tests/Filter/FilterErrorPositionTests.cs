using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Tests.Filter;

/// <summary>
/// Errors found while resolving a parsed filter name the position of the operand they are about (as syntax errors do),
/// so the dashboard can mark it; forbidden errors keep PocketBase's exact message.
/// </summary>
public class FilterErrorPositionTests
{
    private static FilterException Refused(string filter, RequestInfo? request = null, bool client = false)
    {
        var ctx = FilterTestSchema.Context(SqliteDialect.Instance, FilterTestSchema.Posts, request, client);
        return Assert.Throws<FilterException>(() => FilterCompiler.CompileFilter(filter, ctx));
    }

    [Theory]
    [InlineData("nope = 1", 0, "unknown field 'nope' at position 0")]
    [InlineData("title = 'x' && author.nope = 1", 15, "unknown field 'nope' at position 15")]
    [InlineData("views > 1 || (active = true && 'x' = title:bogus)", 37, "unknown modifier ':bogus' at position 37")]
    [InlineData("views > 1 || @collection.nope.id ?= id", 13, "unknown collection 'nope' in @collection at position 13")]
    [InlineData("@request.nope = 1", 0, "unknown @request field '@request.nope' at position 0")]
    [InlineData("geoDistance(1, 2, nope, 4) > 0", 18, "unknown field 'nope' at position 18")]
    public void ResolutionErrors_NameTheOperandsPosition(string filter, int position, string message)
    {
        var ex = Refused(filter);
        Assert.Equal(message, ex.Message);
        Assert.Equal(position, ex.Position);
        Assert.False(ex.Forbidden);
    }

    [Fact]
    public void SyntaxErrors_NameTheirPositionOnce()
    {
        var ex = Refused("title = 'x' && ");
        Assert.EndsWith(" at position 15", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Message.Split("at position").Length - 1);
    }

    [Fact]
    public void ForbiddenErrors_KeepPocketBasesMessage()
    {
        var ex = Refused("title = 'x' || @request.auth.id = ''", RequestInfo.Guest, client: true);
        Assert.True(ex.Forbidden);
        Assert.Null(ex.Position);
        Assert.Equal("Only superusers can filter by @request.", ex.Message);
    }
}
