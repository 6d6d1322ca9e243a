using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class GeoPointFieldTests
{
    [Theory]
    [InlineData("{\"lon\":23.5,\"lat\":42.1}", 23.5, 42.1)]
    [InlineData("{\"lat\":42.1,\"lon\":23.5}", 23.5, 42.1)]
    [InlineData("{\"lon\":\"23.5\",\"lat\":\"-42.1\"}", 23.5, -42.1)]
    [InlineData("{\"lon\":1}", 1, 0)]
    [InlineData("{}", 0, 0)]
    [InlineData("null", 0, 0)]
    [InlineData("\"\"", 0, 0)]
    [InlineData("\"{\\\"lon\\\":1,\\\"lat\\\":2}\"", 1, 2)]
    public void Accepts_points(string json, double lon, double lat) =>
        Assert.Equal(new GeoPoint(lon, lat), Norm(new GeoPointField(), json));

    [Theory]
    [InlineData("{\"lon\":\"east\",\"lat\":1}")]
    [InlineData("{\"lon\":true,\"lat\":1}")]
    [InlineData("[1,2]")]
    [InlineData("5")]
    [InlineData("\"1,2\"")]
    public void Refuses_other_values(string json) =>
        Assert.Equal("validation_invalid_geo_point", NormFails(new GeoPointField(), json));

    [Theory]
    [InlineData(0, 90.1)]
    [InlineData(0, -90.1)]
    [InlineData(180.5, 0)]
    [InlineData(-181, 1)]
    public void Range(double lon, double lat) =>
        Assert.Equal("validation_invalid_geo_point", Code(new GeoPointField().Validate(new GeoPoint(lon, lat))));

    [Fact]
    public void Required_means_not_zero()
    {
        Assert.Null(new GeoPointField().Validate(GeoPoint.Zero));
        Assert.Null(new GeoPointField().Validate(null));
        Assert.Equal("validation_required", Code(new GeoPointField { Required = true }.Validate(GeoPoint.Zero)));
        Assert.Null(new GeoPointField { Required = true }.Validate(new GeoPoint(180, -90)));
    }

    [Fact]
    public void Kind_and_round_trip()
    {
        var f = (GeoPointField)AssertRoundTrip("{" + CommonKeys("geoPoint", "location") + ",\"required\":true}");
        Assert.True(f.Required);
        Assert.Equal(ColumnKind.JsonObject, f.Kind);
        Assert.Equal(GeoPoint.Zero, f.ZeroValue);
    }
}
