using PaperGao.Core.Filter;
using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Tests.Filter;

public class ParserTests
{
    [Theory]
    [InlineData("title = \"abc\"", "title = \"abc\"")]
    [InlineData("title='abc'", "title = \"abc\"")]
    [InlineData("\"x\" = field", "\"x\" = field")]
    [InlineData("a > 1 && b < 2", "(a > 1 && b < 2)")]
    [InlineData("a > 1 || b < 2 && c = 3", "(a > 1 || (b < 2 && c = 3))")]
    [InlineData("(a > 1 || b < 2) && c = 3", "((a > 1 || b < 2) && c = 3)")]
    [InlineData("((a = 1))", "a = 1")]
    [InlineData("a != -1.5", "a != -1.5")]
    [InlineData("a ?= 1 && b ?!= 2 && c ?~ 'x' && d ?!~ 'y' && e ?< 1 && f ?<= 1 && g ?> 1 && h ?>= 1", "(a ?= 1 && b ?!= 2 && c ?~ \"x\" && d ?!~ \"y\" && e ?< 1 && f ?<= 1 && g ?> 1 && h ?>= 1)")]
    [InlineData("a ~ 'x' && b !~ 'y' && c <= 1 && d >= 2", "(a ~ \"x\" && b !~ \"y\" && c <= 1 && d >= 2)")]
    [InlineData("@request.auth.id != '' && author = @request.auth.id", "(@request.auth.id != \"\" && author = @request.auth.id)")]
    [InlineData("tags:each ?= 'a'", "tags:each ?= \"a\"")]
    [InlineData("@collection.news:alias.author ?= id", "@collection.news:alias.author ?= id")]
    [InlineData("#hash = 1", "#hash = 1")]
    [InlineData("a = 'it\\'s'", "a = \"it's\"")]
    [InlineData("a = \"say \\\"hi\\\"\"", "a = \"say \\\"hi\\\"\"")]
    [InlineData("a = 'back\\slash'", "a = \"back\\slash\"")]
    [InlineData("a = \"it's\"", "a = \"it's\"")]
    [InlineData("a = 1 // comment\n && b = 2", "(a = 1 && b = 2)")]
    [InlineData("a\t=\r\n1", "a = 1")]
    [InlineData("geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 25", "geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 25")]
    [InlineData("strftime('%Y', created,) = '2024'", "strftime(\"%Y\", created) = \"2024\"")]
    [InlineData("strftime('%Y', // c\n created) = '2024'", "strftime(\"%Y\", created) = \"2024\"")]
    [InlineData("f(g(h(1))) = 1", "f(g(h(1))) = 1")]
    [InlineData("a = 'ünïcødé ✓'", "a = \"ünïcødé ✓\"")]
    [InlineData("a = '(' && b = ')'", "(a = \"(\" && b = \")\")")]
    public void Parses(string input, string expected)
    {
        Assert.Equal(expected, FilterFormatter.Format(FilterParser.ParseUncached(input)));
    }

    [Fact]
    public void Ast_Shape()
    {
        var expr = FilterParser.ParseUncached("a = 'x' || b > 2");
        var or = Assert.IsType<OrExpr>(expr);
        var c = Assert.IsType<ComparisonExpr>(or.Items[0]);
        Assert.Equal(new IdentifierOperand("a", 0), c.Left);
        Assert.Equal(SignOp.Eq, c.Op);
        Assert.Equal(new TextOperand("x", 4), c.Right);
        var c2 = Assert.IsType<ComparisonExpr>(or.Items[1]);
        Assert.Equal(SignOp.Gt, c2.Op);
        var n = Assert.IsType<NumberOperand>(c2.Right);
        Assert.Equal(2d, n.Value);
        Assert.Equal(15, n.Position);
    }

    [Theory]
    [InlineData("", "empty filter expression")]
    [InlineData("   // only a comment", "empty filter expression")]
    [InlineData("title = 'abc' }", "unexpected character '}' at position 14")]
    [InlineData("(a = 1", "unbalanced parenthesis '(' at position 0")]
    [InlineData("a = 1)", "unbalanced parenthesis ')' at position 5")]
    [InlineData("((a = 1) && (b = 2)", "unbalanced parenthesis '(' at position 0")]
    [InlineData("()", "empty group at position 0")]
    [InlineData("a = 'abc", "unterminated quoted text starting at position 4")]
    [InlineData("a = \"abc'", "unterminated quoted text starting at position 4")]
    [InlineData("a = 1; DROP TABLE x", "unexpected character ';' at position 5")]
    [InlineData("1=1; DROP TABLE x", "unexpected character ';' at position 3")]
    [InlineData("a = 1 -- comment", "position 6")]
    [InlineData("a = 1 /* c */", "unexpected character '/' at position 6")]
    [InlineData("a = 1 # c", "invalid identifier '#' at position 6")]
    [InlineData("a ＝ 1", "unexpected character '\\uFF1D' at position 2")]
    [InlineData("tіtle = 1", "unexpected character '\\u0456' at position 1")]
    [InlineData("a = 1 ＆＆ b = 2", "unexpected character '\\uFF06' at position 6")]
    [InlineData("a == 1", "invalid operator '==' at position 2")]
    [InlineData("a =! 1", "invalid operator '=!' at position 2")]
    [InlineData("a = 1 & b = 2", "invalid join operator at position 6")]
    [InlineData("a = 1 ||| b = 2", "invalid join operator at position 6")]
    [InlineData("a = 1 &&", "position 8")]
    [InlineData("a =", "missing right operand")]
    [InlineData("a", "missing operator")]
    [InlineData("a b = 1", "unexpected 'b' at position 2")]
    [InlineData("a = 1 b = 2", "unexpected 'b' at position 6")]
    [InlineData("a. = 1", "must not end with '.'")]
    [InlineData("a: = 1", "must not end with ':'")]
    [InlineData("@ = 1", "invalid identifier '@' at position 0")]
    [InlineData("_ = 1", "invalid identifier '_' at position 0")]
    [InlineData("a = 1.2.3", "invalid number '1.2.3' at position 4")]
    [InlineData("a = 1.", "invalid number")]
    [InlineData("a = .5", "unexpected character '.' at position 4")]
    [InlineData("a = -", "unexpected character '-' at position 4")]
    [InlineData("f(g(h(i(1)))) = 1", "too deeply nested function calls at position 6")]
    [InlineData("f(1 = 1", "unexpected '=' at position 4")]
    [InlineData("f(1", "is not closed")]
    [InlineData("a = 'x' && (b = 1 || )", "position 21")]
    [InlineData("a = \u0000", "unexpected character '\\u0000' at position 4")]
    [InlineData("a = 1 && && b = 2", "unexpected '&&' at position 9")]
    public void Rejects(string input, string expectedMessagePart)
    {
        var ex = Assert.Throws<FilterException>(() => FilterParser.ParseUncached(input));
        Assert.Contains(expectedMessagePart, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Forbidden);
    }

    [Fact]
    public void Rejects_TooLong()
    {
        var filter = "title = '" + new string('a', 4000) + "'";
        var ex = Assert.Throws<FilterException>(() => FilterParser.Parse(filter));
        Assert.Contains("too long", ex.Message, StringComparison.Ordinal);
        // exactly at the limit is fine
        var ok = "title = '" + new string('a', FilterLimits.MaxFilterLength - 10) + "'";
        Assert.Equal(FilterLimits.MaxFilterLength, ok.Length);
        FilterParser.ParseUncached(ok);
    }

    [Fact]
    public void Rejects_TooManyExpressions()
    {
        var ok = string.Join("||", Enumerable.Range(0, 200).Select(i => "a=" + i));
        Assert.IsType<OrExpr>(FilterParser.ParseUncached(ok));
        var bad = string.Join("||", Enumerable.Range(0, 201).Select(i => "a=" + i));
        var ex = Assert.Throws<FilterException>(() => FilterParser.ParseUncached(bad));
        Assert.Contains("too many expressions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_DeepNesting()
    {
        var ok = new string('(', 50) + "a=1" + new string(')', 50);
        FilterParser.ParseUncached(ok);
        var bad = new string('(', 51) + "a=1" + new string(')', 51);
        var ex = Assert.Throws<FilterException>(() => FilterParser.ParseUncached(bad));
        Assert.Contains("too deeply nested parentheses at position 50", ex.Message, StringComparison.Ordinal);
        // very deep input is bounded by the limit, not the stack
        var huge = new string('(', 3000) + "a=1" + new string(')', 3000);
        Assert.Throws<FilterException>(() => FilterParser.ParseUncached(huge));
    }

    [Fact]
    public void Cache_ReturnsSameInstance_AndStaysBounded()
    {
        var a = FilterParser.Parse("cached_field = 1");
        var b = FilterParser.Parse("cached_field = 1");
        Assert.Same(a, b);
        for (var i = 0; i < FilterLimits.ParseCacheSize + 50; i++) FilterParser.Parse("x = " + i);
        Assert.True(FilterParser.CacheCount <= FilterLimits.ParseCacheSize);
    }

    [Fact]
    public void Sort_Parses()
    {
        var items = SortParser.Parse(" -created, title ,+id,@random,@rowid");
        Assert.Equal(
            [new SortItem("created", true), new SortItem("title", false), new SortItem("id", false), new SortItem("@random", false), new SortItem("@rowid", false)],
            items);
        Assert.Empty(SortParser.Parse(""));
        Assert.Empty(SortParser.Parse(null));
        Assert.Equal([new SortItem("author.name", true)], SortParser.Parse("-author.name"));
    }

    [Theory]
    [InlineData("a,b,c,d,e,f,g,h,i", "too many sort fields")]
    [InlineData("title desc", "invalid sort field")]
    [InlineData("title;drop", "invalid sort field")]
    [InlineData("'title'", "invalid sort field")]
    [InlineData("1", "invalid sort field")]
    [InlineData("-", "invalid sort field")]
    [InlineData("a.", "invalid sort field")]
    [InlineData("LOWER(title)", "invalid sort field")]
    public void Sort_Rejects(string sort, string part)
    {
        var ex = Assert.Throws<FilterException>(() => SortParser.Parse(sort));
        Assert.Contains(part, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sort_RejectsLongField()
    {
        Assert.Throws<FilterException>(() => SortParser.Parse(new string('a', 256)));
        Assert.Single(SortParser.Parse(new string('a', 255)));
    }
}
