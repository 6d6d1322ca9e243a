using PaperGao.Core.Collections.Fields;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class UrlFieldTests
{
    [Theory]
    [InlineData("https://example.com")]
    [InlineData("http://example.com/path?q=1#x")]
    [InlineData("ftp://files.example.com/a.txt")]
    [InlineData("http://localhost:8090/api")]
    [InlineData("https://user:pw@example.com")]
    public void Valid_urls(string url) => Assert.Null(new UrlField().Validate(url));

    [Theory]
    [InlineData("example.com")]
    [InlineData("/relative/path")]
    [InlineData("http://")]
    [InlineData("http://exa mple.com")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:a@b.c")]
    [InlineData("not a url")]
    public void Invalid_urls(string url) => Assert.Equal("validation_invalid_url", Code(new UrlField().Validate(url)));

    [Fact]
    public void Empty_required_and_normalization()
    {
        Assert.Null(new UrlField().Validate(""));
        Assert.Equal("validation_required", Code(new UrlField { Required = true }.Validate(null)));
        Assert.Equal("https://a.b", Norm(new UrlField(), "\"https://a.b\""));
        Assert.Equal("validation_invalid_value", NormFails(new UrlField(), "{}"));
    }

    [Fact]
    public void Domain_lists_use_the_host()
    {
        var only = new UrlField { OnlyDomains = ["example.com"] };
        Assert.Null(only.Validate("https://example.com:8080/x"));
        Assert.Equal("validation_url_domain_not_allowed", Code(only.Validate("https://sub.example.com")));
        var except = new UrlField { ExceptDomains = ["bad.com"] };
        Assert.Equal("validation_url_domain_not_allowed", Code(except.Validate("http://bad.com/x")));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (UrlField)AssertRoundTrip("{" + CommonKeys("url", "site") + ",\"exceptDomains\":[],\"onlyDomains\":[\"a.com\",\"b.org\"],\"required\":false}");
        Assert.Equal(["a.com", "b.org"], f.OnlyDomains);
        Assert.True(ReadErrors("{\"type\":\"url\",\"exceptDomains\":\"a.com\"}").Contains("exceptDomains"));
    }
}
