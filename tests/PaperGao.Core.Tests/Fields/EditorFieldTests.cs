using PaperGao.Core.Collections.Fields;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class EditorFieldTests
{
    [Fact]
    public void Normalizes_strings()
    {
        Assert.Equal("<p>x</p>", Norm(new EditorField(), "\"<p>x</p>\""));
        Assert.Equal("", Norm(new EditorField(), "null"));
        Assert.Equal("validation_invalid_value", NormFails(new EditorField(), "{}"));
    }

    [Fact]
    public void Required_and_size_in_utf8_bytes()
    {
        Assert.Equal("validation_required", Code(new EditorField { Required = true }.Validate("")));
        var f = new EditorField { MaxSize = 4 };
        Assert.Null(f.Validate("abcd"));
        Assert.Null(f.Validate("éé")); // 4 bytes
        var e = f.Validate("ééé"); // 6 bytes
        Assert.Equal("validation_content_size_limit", Code(e));
        Assert.Equal(4L, e!.Params!["maxSize"]);
    }

    [Fact]
    public void Max_size_zero_means_5_MiB()
    {
        var f = new EditorField();
        Assert.Equal(5L << 20, f.EffectiveMaxSize);
        Assert.Null(f.Validate(new string('a', 5 << 20)));
        Assert.Equal("validation_content_size_limit", Code(f.Validate(new string('a', (5 << 20) + 1))));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (EditorField)AssertRoundTrip("{" + CommonKeys("editor", "body") + ",\"maxSize\":1000,\"convertURLs\":true,\"required\":false}");
        Assert.True(f.ConvertURLs);
        Assert.Equal(1000, f.MaxSize);
        Assert.True(ReadErrors("{\"type\":\"editor\",\"maxSize\":\"big\"}").Contains("maxSize"));
        Assert.True(DefinitionErrors(new EditorField { MaxSize = -1 }).Contains("maxSize"));
    }
}
