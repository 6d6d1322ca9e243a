using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Import.PocketBase;
using Xunit;

namespace PaperGao.Core.Tests.Import;

/// <summary>PocketBase's SQLite cells as PaperGao field values: same meaning, nothing rewritten.</summary>
public class PbValueConverterTests
{
    [Fact]
    public void Text_is_kept_as_stored_including_hashes()
    {
        const string hash = "$2a$13$6PP1fpShEsQHpZElw4.BN.vMl/2CMIKc2kpumJM//T4qV4RGUgb6i";
        Assert.Equal(hash, PbValueConverter.ToClr(new PasswordField(), hash));
        Assert.Equal("", PbValueConverter.ToClr(new TextField(), DBNull.Value));
        Assert.Equal("12", PbValueConverter.ToClr(new TextField(), 12L));
    }

    [Fact]
    public void Numbers_and_booleans_from_sqlite_storage_classes()
    {
        Assert.Equal(3d, PbValueConverter.ToClr(new NumberField(), 3L));
        Assert.Equal(455.5, PbValueConverter.ToClr(new NumberField(), 455.5));
        Assert.Equal(1.5, PbValueConverter.ToClr(new NumberField(), "1.5"));
        Assert.Equal(0d, PbValueConverter.ToClr(new NumberField(), "abc"));
        Assert.Equal(true, PbValueConverter.ToClr(new BoolField(), 1L));
        Assert.Equal(false, PbValueConverter.ToClr(new BoolField(), 0L));
        Assert.Equal(true, PbValueConverter.ToClr(new BoolField(), "true"));
        Assert.Equal(false, PbValueConverter.ToClr(new BoolField(), DBNull.Value));
    }

    [Fact]
    public void Multi_values_single_values_and_json()
    {
        var many = new SelectField { MaxSelect = 3 };
        Assert.Equal(["a", "b"], (IReadOnlyList<string>)PbValueConverter.ToClr(many, """["a","b"]""")!);
        Assert.Empty((IReadOnlyList<string>)PbValueConverter.ToClr(many, "")!);
        // A single select that was multiple once: PocketBase reads the last item.
        Assert.Equal("b", PbValueConverter.ToClr(new SelectField { MaxSelect = 1 }, """["a","b"]"""));
        Assert.Equal("[\r\n 1,\r\n 2]", PbValueConverter.ToClr(new JsonField(), "[\r\n 1,\r\n 2]"));
        Assert.Null(PbValueConverter.ToClr(new JsonField(), DBNull.Value));
        Assert.Equal("\"not json\"", Assert.IsAssignableFrom<JsonNode>(PbValueConverter.ToClr(new JsonField(), "not json")).ToJsonString());
        Assert.Equal(new GeoPoint(23.5, 42.25), PbValueConverter.ToClr(new GeoPointField(), """{"lon":23.5,"lat":42.25}"""));
        Assert.Equal(GeoPoint.Zero, PbValueConverter.ToClr(new GeoPointField(), "oops"));
    }
}
