using PaperGao.Core.Collections.Fields;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class AutodateFieldTests
{
    private const string Stored = "2020-01-01 00:00:00.000Z";
    private const string Now = "2031-05-06 07:08:09.123Z"; // the write's moment on the project's clock

    [Fact]
    public void Ignores_client_values()
    {
        var f = new AutodateField { OnCreate = true };
        Assert.Equal("", Norm(f, "\"2030-01-01 00:00:00.000Z\""));
        Assert.Equal("", Norm(f, "{}"));
    }

    [Fact]
    public void On_create_sets_now_on_create_only()
    {
        var f = new AutodateField { OnCreate = true };
        Assert.Equal(Now, f.PrepareForSave("", isNew: true, Now));
        Assert.Equal(Stored, f.PrepareForSave(Stored, isNew: false, Now));
    }

    [Fact]
    public void On_update_sets_now_on_update()
    {
        var f = new AutodateField { OnCreate = true, OnUpdate = true };
        Assert.Equal(Now, f.PrepareForSave(Stored, isNew: false, Now));
        var onlyUpdate = new AutodateField { OnUpdate = true };
        Assert.Equal("", onlyUpdate.PrepareForSave("", isNew: true, Now));
        Assert.Equal(Now, onlyUpdate.PrepareForSave("", isNew: false, Now));
    }

    [Fact]
    public void Never_invalid()
    {
        Assert.Null(new AutodateField().Validate(""));
        Assert.Null(new AutodateField().Validate(null));
    }

    [Fact]
    public void Default_fields_and_round_trip()
    {
        Assert.Equal("autodate2990389176", FieldIds.For("autodate", "created"));
        Assert.Equal("autodate2990389176", AutodateField.CreateCreated().Id);
        Assert.Equal(FieldIds.For("autodate", "updated"), AutodateField.CreateUpdated().Id);
        var f = (AutodateField)AssertRoundTrip("{" + CommonKeys("autodate", "updated") + ",\"onCreate\":true,\"onUpdate\":true}");
        Assert.True(f.OnCreate && f.OnUpdate);
        Assert.True(ReadErrors("{\"type\":\"autodate\",\"onCreate\":\"true\"}").Contains("onCreate"));
    }
}
