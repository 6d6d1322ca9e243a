using PaperGao.Core.Collections.Fields;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class EmailFieldTests
{
    [Theory]
    [InlineData("a@b.c")]
    [InlineData("john.doe+tag@example.com")]
    [InlineData("x@localhost")]
    [InlineData("o'neil@sub.example.co.uk")]
    public void Valid_emails(string email) => Assert.Null(new EmailField().Validate(email));

    [Theory]
    [InlineData("plain")]
    [InlineData("a@")]
    [InlineData("@b.c")]
    [InlineData("a b@c.d")]
    [InlineData("a@b..c")]
    [InlineData("a@-b.c")]
    public void Invalid_emails(string email) => Assert.Equal("validation_is_email", Code(new EmailField().Validate(email)));

    [Fact]
    public void Empty_and_required()
    {
        Assert.Null(new EmailField().Validate(""));
        Assert.Equal("validation_required", Code(new EmailField { Required = true }.Validate("")));
        Assert.Equal("a@b.c", Norm(new EmailField(), "\"a@b.c\""));
        Assert.Equal("", Norm(new EmailField(), "null"));
        Assert.Equal("validation_invalid_value", NormFails(new EmailField(), "[\"a@b.c\"]"));
    }

    [Fact]
    public void Domain_lists()
    {
        var only = new EmailField { OnlyDomains = ["example.com"] };
        Assert.Null(only.Validate("a@example.com"));
        Assert.Null(only.Validate("a@EXAMPLE.com"));
        Assert.Equal("validation_email_domain_not_allowed", Code(only.Validate("a@other.com")));
        var except = new EmailField { ExceptDomains = ["spam.com"] };
        Assert.Equal("validation_email_domain_not_allowed", Code(except.Validate("a@spam.com")));
        Assert.Null(except.Validate("a@ham.com"));
    }

    [Fact]
    public void Options_round_trip_and_definition()
    {
        var f = (EmailField)AssertRoundTrip("{" + CommonKeys("email", "email") + ",\"exceptDomains\":[\"a.com\"],\"onlyDomains\":[],\"required\":true}");
        Assert.Equal(["a.com"], f.ExceptDomains);
        Assert.True(ReadErrors("{\"type\":\"email\",\"onlyDomains\":[1]}").Contains("onlyDomains"));
        var both = DefinitionErrors(new EmailField { ExceptDomains = ["a.com"], OnlyDomains = ["b.com"] });
        Assert.True(both.Contains("exceptDomains") && both.Contains("onlyDomains"));
        Assert.True(DefinitionErrors(new EmailField { OnlyDomains = ["not a domain"] }).Contains("onlyDomains"));
        Assert.Empty(DefinitionErrors(new EmailField { OnlyDomains = ["example.com"] }).Items);
    }

    [Fact]
    public void Clone_copies_lists()
    {
        var f = new EmailField { OnlyDomains = ["a.com"] };
        var c = (EmailField)f.Clone();
        c.OnlyDomains.Add("b.com");
        Assert.Single(f.OnlyDomains);
    }
}
