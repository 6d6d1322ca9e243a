using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class NumberFieldTests
{
    [Theory]
    [InlineData("12", 12d)]
    [InlineData("-3.25", -3.25)]
    [InlineData("1e3", 1000d)]
    [InlineData("\"12.5\"", 12.5)]
    [InlineData("\" 7 \"", 7d)]
    [InlineData("\"-1e2\"", -100d)]
    [InlineData("\"\"", 0d)]
    [InlineData("null", 0d)]
    public void Accepts_numbers_and_numeric_strings(string json, double expected)
    {
        var v = Norm(new NumberField(), json);
        Assert.Equal(expected, Assert.IsType<double>(v));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("\"12abc\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("\"-Infinity\"")]
    [InlineData("\"0x10\"")]
    [InlineData("\"1e400\"")]
    [InlineData("1e400")]
    [InlineData("true")]
    [InlineData("[1]")]
    [InlineData("{\"a\":1}")]
    public void Refuses_non_numbers(string json) =>
        Assert.Equal("validation_not_a_number", NormFails(new NumberField(), json));

    [Fact]
    public void Zero_is_empty()
    {
        Assert.Null(new NumberField { Min = 5 }.Validate(0d));
        Assert.Null(new NumberField().Validate(null));
        Assert.Equal("validation_required", Code(new NumberField { Required = true }.Validate(0d)));
        Assert.Null(new NumberField { Required = true }.Validate(-1d));
    }

    [Fact]
    public void Min_max_and_only_int()
    {
        var f = new NumberField { Min = 1, Max = 10, OnlyInt = true };
        Assert.Null(f.Validate(5d));
        var min = f.Validate(-2d);
        Assert.Equal("validation_min_number_constraint", Code(min));
        Assert.Equal(1d, min!.Params!["min"]);
        var max = f.Validate(11d);
        Assert.Equal("validation_max_number_constraint", Code(max));
        Assert.Equal(10d, max!.Params!["max"]);
        Assert.Equal("validation_only_int_constraint", Code(f.Validate(2.5)));
        Assert.Null(new NumberField().Validate(2.5));
        Assert.Equal("validation_not_a_number", Code(new NumberField().Validate(double.NaN)));
    }

    [Fact]
    public void Modifiers_add_and_subtract()
    {
        var f = new NumberField();
        Assert.Equal(7d, Modify(f, FieldModifier.Append, 5d, "2"));
        Assert.Equal(3d, Modify(f, FieldModifier.Remove, 5d, "\"2\""));
        Assert.Equal(-2d, Modify(f, FieldModifier.Remove, null, "2"));
        Assert.True(f.TryApplyModifier(FieldModifier.Append, 1d, J("\"x\""), out _, out var error));
        Assert.Equal("validation_not_a_number", error!.Code);
        Assert.True(f.TryApplyModifier(FieldModifier.Append, double.MaxValue, J("1.7976931348623157e308"), out _, out error));
        Assert.Equal("validation_not_a_number", error!.Code);
        Assert.False(f.TryApplyModifier(FieldModifier.Prepend, 1d, J("1"), out _, out _));
    }

    [Fact]
    public void Options_round_trip_with_null_min_max()
    {
        var f = (NumberField)AssertRoundTrip("{" + CommonKeys("number", "n") + ",\"min\":null,\"max\":null,\"onlyInt\":false,\"required\":false}");
        Assert.Null(f.Min);
        Assert.Null(f.Max);
        f = (NumberField)AssertRoundTrip("{" + CommonKeys("number", "n") + ",\"min\":-1.5,\"max\":100,\"onlyInt\":true,\"required\":true}");
        Assert.Equal(-1.5, f.Min);
        Assert.Equal(100, f.Max);
        Assert.Equal(ColumnKind.Number, f.Kind);
        Assert.Equal(0d, f.ZeroValue);
    }

    [Fact]
    public void Option_and_definition_errors()
    {
        Assert.True(ReadErrors("{\"type\":\"number\",\"min\":\"1\"}").Contains("min"));
        Assert.True(ReadErrors("{\"type\":\"number\",\"onlyInt\":1}").Contains("onlyInt"));
        Assert.True(DefinitionErrors(new NumberField { Min = 5, Max = 1 }).Contains("max"));
        Assert.True(DefinitionErrors(new NumberField { Min = 0.5, OnlyInt = true }).Contains("min"));
        Assert.Empty(DefinitionErrors(new NumberField { Min = 1, Max = 1 }).Items);
    }
}
