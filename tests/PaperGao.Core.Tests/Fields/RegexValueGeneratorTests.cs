using PaperGao.Core.Collections.Fields;
using Xunit;

namespace PaperGao.Core.Tests.Fields;

public class RegexValueGeneratorTests
{
    [Theory]
    [InlineData("[a-z0-9]{15}", "^[a-z0-9]{15}$")]
    [InlineData("[a-zA-Z0-9]{50}", "^[a-zA-Z0-9]{50}$")]
    [InlineData("abc", "^abc$")]
    [InlineData("^id_[0-9]{3}$", "^id_[0-9]{3}$")]
    [InlineData("[a-c]{2,4}", "^[a-c]{2,4}$")]
    [InlineData("x?y+z*", "^x?y+z*$")]
    [InlineData("\\d{4}-\\d{2}", "^[0-9]{4}-[0-9]{2}$")]
    [InlineData("\\w{8}", "^\\w{8}$")]
    [InlineData("(foo|bar)-[A-F]{2}", "^(foo|bar)-[A-F]{2}$")]
    [InlineData("(?:ab){3}", "^(ab){3}$")]
    [InlineData("[_a-]{5}", "^[_a-]{5}$")]
    [InlineData("[^a-z]{10}", "^[^a-z]{10}$")]
    [InlineData("a\\.b\\{", "^a\\.b\\{$")]
    [InlineData("[a-z]{3,}", "^[a-z]{3,13}$")]
    [InlineData(".{5}", "^.{5}$")]
    public void Generates_matching_values(string pattern, string check)
    {
        for (var i = 0; i < 20; i++) Assert.Matches(check, RegexValueGenerator.Generate(pattern));
    }

    [Fact]
    public void Values_are_random()
    {
        var values = Enumerable.Range(0, 50).Select(_ => RegexValueGenerator.Generate("[a-z0-9]{15}")).ToHashSet();
        Assert.Equal(50, values.Count);
        var chars = string.Concat(Enumerable.Range(0, 200).Select(_ => RegexValueGenerator.Generate("[a-c]"))).Distinct().Count();
        Assert.Equal(3, chars);
    }

    [Theory]
    [InlineData("[a-z")]
    [InlineData("(abc")]
    [InlineData("*a")]
    [InlineData("[z-a]")]
    [InlineData("a{5,2}")]
    [InlineData("a{100000}")]
    [InlineData("(?=a)")]
    [InlineData("\\p{L}")]
    public void Unsupported_patterns_fail(string pattern)
    {
        Assert.Throws<FormatException>(() => RegexValueGenerator.Generate(pattern));
        Assert.False(RegexValueGenerator.TryGenerate(pattern, out _, out var error));
        Assert.NotNull(error);
    }
}
