using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class FieldJsonTests
{
    [Theory]
    [InlineData("text", "id", "text3208210256")]
    [InlineData("autodate", "created", "autodate2990389176")]
    public void Field_ids_are_type_plus_crc32(string type, string name, string expected) =>
        Assert.Equal(expected, FieldIds.For(type, name));

    [Fact]
    public void Crc32_matches_the_ieee_check_value()
    {
        Assert.Equal(0xCBF43926u, FieldIds.Crc32("123456789"u8));
        Assert.Equal(0u, FieldIds.Crc32([]));
        // collection ids use the same checksum: "pbc_" + crc32(type + name)
        Assert.Equal(3142635823u, FieldIds.Crc32("auth_superusers"u8));
    }

    [Fact]
    public void Registry_knows_the_14_types()
    {
        Assert.Equal(14, FieldRegistry.Types.Count);
        foreach (var type in FieldRegistry.Types)
        {
            var f = FieldRegistry.Create(type);
            Assert.NotNull(f);
            Assert.Equal(type, f.Type);
        }
        Assert.Null(FieldRegistry.Create("Text"));
        Assert.Null(FieldRegistry.Create("nope"));
    }

    [Fact]
    public void Every_type_round_trips_with_default_options()
    {
        foreach (var type in FieldRegistry.Types)
        {
            var f = FieldRegistry.Create(type)!;
            f.Name = "f_" + type;
            f.Id = FieldIds.For(type, f.Name);
            f.Help = "help " + type;
            f.Presentable = true;
            var json = FieldJson.ToJsonString(f);
            var again = AssertRoundTrip(json);
            Assert.Equal(f.GetType(), again.GetType());
            Assert.Equal((f.Id, f.Name, f.Help, f.Presentable), (again.Id, again.Name, again.Help, again.Presentable));
        }
    }

    [Fact]
    public void Common_keys_are_written()
    {
        var json = (JsonObject)J(FieldJson.ToJsonString(new BoolField { Id = "b1", Name = "ok", System = true, Hidden = true }))!;
        Assert.Equal("b1", json["id"]!.GetValue<string>());
        Assert.Equal("ok", json["name"]!.GetValue<string>());
        Assert.Equal("bool", json["type"]!.GetValue<string>());
        Assert.True(json["system"]!.GetValue<bool>());
        Assert.True(json["hidden"]!.GetValue<bool>());
        Assert.False(json["presentable"]!.GetValue<bool>());
        Assert.Equal("", json["help"]!.GetValue<string>());
        Assert.False(json["required"]!.GetValue<bool>());
    }

    [Fact]
    public void Written_option_keys_match_the_protocol()
    {
        static string[] Keys(Field f) => [.. ((JsonObject)J(FieldJson.ToJsonString(f))!).Select(p => p.Key).Except(["id", "name", "type", "system", "hidden", "presentable", "help"]).Order()];
        Assert.Equal(["autogeneratePattern", "max", "min", "pattern", "primaryKey", "required"], Keys(new TextField()));
        Assert.Equal(["convertURLs", "maxSize", "required"], Keys(new EditorField()));
        Assert.Equal(["max", "min", "onlyInt", "required"], Keys(new NumberField()));
        Assert.Equal(["exceptDomains", "onlyDomains", "required"], Keys(new EmailField()));
        Assert.Equal(["exceptDomains", "onlyDomains", "required"], Keys(new UrlField()));
        Assert.Equal(["max", "min", "required"], Keys(new DateField()));
        Assert.Equal(["onCreate", "onUpdate"], Keys(new AutodateField()));
        Assert.Equal(["maxSelect", "required", "values"], Keys(new SelectField()));
        Assert.Equal(["maxSelect", "maxSize", "mimeTypes", "protected", "required", "thumbs"], Keys(new FileField()));
        Assert.Equal(["cascadeDelete", "collectionId", "maxSelect", "minSelect", "required"], Keys(new RelationField()));
        Assert.Equal(["maxSize", "required"], Keys(new JsonField()));
        Assert.Equal(["cost", "max", "min", "pattern", "required"], Keys(new PasswordField()));
        Assert.Equal(["required"], Keys(new GeoPointField()));
        Assert.Equal(["required"], Keys(new BoolField()));
        var number = (JsonObject)J(FieldJson.ToJsonString(new NumberField()))!;
        Assert.Null(number["min"]);
        Assert.True(number.ContainsKey("min"));
    }

    [Fact]
    public void Unknown_or_missing_type_is_an_error()
    {
        foreach (var json in new[] { "{\"type\":\"nope\",\"name\":\"x\"}", "{\"name\":\"x\"}", "{\"type\":5}" })
        {
            var errors = new ErrorData();
            Assert.Null(FieldJson.Read((JsonObject)J(json)!, errors));
            Assert.Equal("validation_in_invalid", OptionCode(errors, "type"));
        }
    }

    [Fact]
    public void Wrong_common_key_types_are_errors()
    {
        var errors = ReadErrors("{\"type\":\"text\",\"id\":1,\"name\":[],\"system\":\"no\",\"hidden\":0,\"presentable\":\"x\",\"help\":false}");
        foreach (var key in new[] { "id", "name", "system", "hidden", "presentable", "help" }) Assert.True(errors.Contains(key), key);
    }

    [Fact]
    public void Missing_keys_keep_defaults_and_null_reads_as_zero()
    {
        var errors = new ErrorData();
        var f = (TextField)FieldJson.Read((JsonObject)J("{\"type\":\"text\",\"name\":\"t\",\"max\":null,\"pattern\":null}")!, errors)!;
        Assert.True(errors.IsEmpty);
        Assert.Equal("", f.Id);
        Assert.Equal((0, 0, ""), (f.Min, f.Max, f.Pattern));
    }
}
