using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class DateFieldTests
{
    [Theory]
    [InlineData("2024-11-10 18:45:27.123Z", "2024-11-10 18:45:27.123Z")]
    [InlineData("2024-11-10T18:45:27.123Z", "2024-11-10 18:45:27.123Z")]
    [InlineData("2024-11-10T18:45:27Z", "2024-11-10 18:45:27.000Z")]
    [InlineData("2024-11-10T18:45:27.123456789Z", "2024-11-10 18:45:27.123Z")]
    [InlineData("2024-11-10T20:45:27+02:00", "2024-11-10 18:45:27.000Z")]
    [InlineData("2024-11-10T16:45:27-0200", "2024-11-10 18:45:27.000Z")]
    [InlineData("2024-11-10 18:45:27", "2024-11-10 18:45:27.000Z")]
    [InlineData("2024-11-10 18:45", "2024-11-10 18:45:00.000Z")]
    [InlineData("2024-11-10", "2024-11-10 00:00:00.000Z")]
    [InlineData("2024-01-01T00:30:00+01:00", "2023-12-31 23:30:00.000Z")]
    [InlineData("", "")]
    [InlineData("  ", "")]
    public void DateTimes_normalizes(string input, string expected)
    {
        Assert.True(DateTimes.TryNormalize(input, out var n));
        Assert.Equal(expected, n);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("2024-11-10T25:00:00Z")]
    [InlineData("2024-11-10T10:00:00+25:00")]
    [InlineData("10/11/2024")]
    [InlineData("2024-11-10X")]
    [InlineData("\u0662\u0660\u0662\u0664-01-01")]
    [InlineData("2024-11-10 18:45:27 Z Z")]
    public void DateTimes_refuses(string input) => Assert.False(DateTimes.TryNormalize(input, out _));

    [Fact]
    public void DateTimes_now_and_format()
    {
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$", DateTimes.Now(TimeProvider.System));
        Assert.Equal("2024-01-02 03:04:05.006Z", DateTimes.Format(new DateTimeOffset(2024, 1, 2, 5, 4, 5, 6, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Normalizes_submitted_values()
    {
        var f = new DateField();
        Assert.Equal("2024-11-10 00:00:00.000Z", Norm(f, "\"2024-11-10\""));
        Assert.Equal("", Norm(f, "null"));
        Assert.Equal("", Norm(f, "\"\""));
        Assert.Equal("validation_invalid_date", NormFails(f, "\"not a date\""));
        Assert.Equal("validation_invalid_date", NormFails(f, "12345"));
        Assert.Equal("validation_invalid_date", NormFails(f, "{}"));
    }

    [Fact]
    public void Validation_required_min_max()
    {
        Assert.Null(new DateField().Validate(""));
        Assert.Equal("validation_required", Code(new DateField { Required = true }.Validate("")));
        var f = new DateField { Min = "2024-01-01 00:00:00.000Z", Max = "2024-12-31 00:00:00.000Z" };
        Assert.Null(f.Validate("2024-06-01 00:00:00.000Z"));
        Assert.Null(f.Validate("2024-01-01 00:00:00.000Z"));
        var min = f.Validate("2023-12-31 23:59:59.999Z");
        Assert.Equal("validation_min_date_constraint", Code(min));
        Assert.Equal("2024-01-01 00:00:00.000Z", min!.Params!["min"]);
        Assert.Equal("validation_max_date_constraint", Code(f.Validate("2025-01-01 00:00:00.000Z")));
        Assert.Equal("validation_invalid_date", Code(f.Validate("garbage")));
    }

    [Fact]
    public void Options_are_normalized_and_round_trip()
    {
        var f = (DateField)AssertRoundTrip("{" + CommonKeys("date", "due") + ",\"min\":\"2024-01-01 00:00:00.000Z\",\"max\":\"\",\"required\":true}");
        Assert.Equal("2024-01-01 00:00:00.000Z", f.Min);
        var errors = new ErrorData();
        var g = (DateField)FieldJson.Read((System.Text.Json.Nodes.JsonObject)J("{\"type\":\"date\",\"min\":\"2024-01-01\"}")!, errors)!;
        Assert.True(errors.IsEmpty);
        Assert.Equal("2024-01-01 00:00:00.000Z", g.Min);
        Assert.Equal("validation_invalid_date", OptionCode(ReadErrors("{\"type\":\"date\",\"max\":\"soon\"}"), "max"));
        Assert.True(DefinitionErrors(new DateField { Min = "2024-02-01 00:00:00.000Z", Max = "2024-01-01 00:00:00.000Z" }).Contains("max"));
    }
}
