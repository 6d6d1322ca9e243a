using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class FileFieldTests
{
    [Fact]
    public void Values_are_filenames()
    {
        var single = new FileField();
        Assert.Equal(ColumnKind.Text, single.Kind);
        Assert.Equal("b.png", Norm(single, "[\"a.png\",\"b.png\"]"));
        var multi = new FileField { MaxSelect = 3 };
        Assert.Equal(ColumnKind.JsonArray, multi.Kind);
        Assert.Equal(["a.png"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(multi, "\"a.png\"")));
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(multi, "\"\"")));
    }

    [Fact]
    public void Counts_and_required()
    {
        var e = new FileField { MaxSelect = 2 }.Validate(new[] { "a", "b", "c" });
        Assert.Equal("validation_too_many_files", Code(e));
        Assert.Equal(2, e!.Params!["maxSelect"]);
        Assert.Equal("validation_too_many_files", Code(new FileField().Validate(new[] { "a", "b" })));
        Assert.Null(new FileField().Validate("a.png"));
        Assert.Equal("validation_required", Code(new FileField { Required = true }.Validate("")));
        Assert.Equal(5L << 20, new FileField().EffectiveMaxSize);
    }

    [Fact]
    public void Modifiers_on_filenames()
    {
        var f = new FileField { MaxSelect = 5 };
        IReadOnlyList<string> current = ["a.png", "b.png"];
        Assert.Equal(["a.png"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Remove, current, "[\"b.png\"]")));
        Assert.Equal(["c.png", "a.png", "b.png"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Prepend, current, "\"c.png\"")));
        Assert.Equal(["a.png", "b.png", "c.png"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Append, current, "\"c.png\"")));
    }

    [Theory]
    [InlineData("100x100", true)]
    [InlineData("0x300", true)]
    [InlineData("300x0", true)]
    [InlineData("100x100t", true)]
    [InlineData("100x100b", true)]
    [InlineData("100x100f", true)]
    [InlineData("0x0", false)]
    [InlineData("00x0f", false)]
    [InlineData("100", false)]
    [InlineData("100x100x", false)]
    [InlineData("axb", false)]
    public void Thumb_sizes(string thumb, bool valid)
    {
        Assert.Equal(valid, FileField.IsValidThumb(thumb));
        Assert.Equal(!valid, DefinitionErrors(new FileField { Thumbs = [thumb] }).Contains("thumbs"));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (FileField)AssertRoundTrip("{" + CommonKeys("file", "docs") +
            ",\"maxSize\":1048576,\"maxSelect\":4,\"mimeTypes\":[\"image/png\",\"application/pdf\"],\"thumbs\":[\"100x100\"],\"protected\":true,\"required\":false}");
        Assert.True(f.Protected);
        Assert.Equal(["image/png", "application/pdf"], f.MimeTypes);
        Assert.Empty(DefinitionErrors(f).Items);
        Assert.True(DefinitionErrors(new FileField { MimeTypes = ["png"] }).Contains("mimeTypes"));
        Assert.True(ReadErrors("{\"type\":\"file\",\"maxSelect\":\"2\"}").Contains("maxSelect"));
        var clone = (FileField)f.Clone();
        clone.Thumbs.Clear();
        Assert.Single(f.Thumbs);
    }
}
