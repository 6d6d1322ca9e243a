using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class BoolFieldTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("\"1\"", true)]
    [InlineData("\"0\"", false)]
    [InlineData("\"\"", false)]
    [InlineData("null", false)]
    public void Accepts_booleans(string json, bool expected) =>
        Assert.Equal(expected, Norm(new BoolField(), json));

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("2")]
    [InlineData("0.5")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Refuses_other_values(string json) =>
        Assert.Equal("validation_invalid_bool", NormFails(new BoolField(), json));

    [Fact]
    public void Required_means_true()
    {
        var f = new BoolField { Required = true };
        Assert.Equal("validation_required", Code(f.Validate(false)));
        Assert.Equal("validation_required", Code(f.Validate(null)));
        Assert.Null(f.Validate(true));
        Assert.Null(new BoolField().Validate(false));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (BoolField)AssertRoundTrip("{" + CommonKeys("bool", "done") + ",\"required\":true}");
        Assert.True(f.Required);
        Assert.Equal(ColumnKind.Bool, f.Kind);
        Assert.Equal(false, f.ZeroValue);
    }
}
