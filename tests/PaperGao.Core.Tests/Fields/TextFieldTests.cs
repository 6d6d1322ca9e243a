using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class TextFieldTests
{
    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("\"\"", "")]
    [InlineData("null", "")]
    [InlineData("12", "12")]
    [InlineData("12.5", "12.5")]
    [InlineData("true", "true")]
    public void Normalizes_scalars_to_strings(string json, string expected) =>
        Assert.Equal(expected, Norm(new TextField(), json));

    [Theory]
    [InlineData("[\"a\"]")]
    [InlineData("{\"a\":1}")]
    public void Refuses_arrays_and_objects(string json) =>
        Assert.Equal("validation_invalid_value", NormFails(new TextField(), json));

    [Fact]
    public void Empty_value_is_valid_unless_required()
    {
        Assert.Null(new TextField().Validate(""));
        Assert.Null(new TextField().Validate(null));
        Assert.Equal("validation_required", Code(new TextField { Required = true }.Validate("")));
    }

    [Fact]
    public void Min_and_max_count_characters()
    {
        var f = new TextField { Min = 3, Max = 5 };
        var min = f.Validate("ab");
        Assert.Equal("validation_min_text_constraint", Code(min));
        Assert.Equal(3, min!.Params!["min"]);
        Assert.Equal("Must be at least 3 character(s).", min.Message);
        Assert.Null(f.Validate("abc"));
        Assert.Null(f.Validate("😀😀😀")); // 3 code points, 6 UTF-16 units
        var max = f.Validate("abcdef");
        Assert.Equal("validation_max_text_constraint", Code(max));
        Assert.Equal(5, Convert.ToInt32(max!.Params!["max"]));
    }

    [Fact]
    public void Max_zero_means_5000()
    {
        var f = new TextField();
        Assert.Null(f.Validate(new string('a', 5000)));
        Assert.Equal("validation_max_text_constraint", Code(f.Validate(new string('a', 5001))));
    }

    [Fact]
    public void Pattern_must_match_non_empty_values()
    {
        var f = new TextField { Pattern = "^[a-z]+$" };
        Assert.Null(f.Validate("abc"));
        Assert.Null(f.Validate(""));
        Assert.Equal("validation_invalid_format", Code(f.Validate("ABC")));
        f.Pattern = "^[A-Z]+$"; // the cached regex follows option changes
        Assert.Null(f.Validate("ABC"));
    }

    [Fact]
    public void Id_field_has_the_pocketbase_definition()
    {
        var id = TextField.CreateIdField();
        Assert.Equal("text3208210256", id.Id);
        Assert.Equal(FieldIds.For("text", "id"), id.Id);
        Assert.True(id.PrimaryKey && id.System && id.Required);
        Assert.Equal((15, 15), (id.Min, id.Max));
        Assert.Equal(ColumnKind.Text, id.Kind);
        var generated = Assert.IsType<string>(id.PrepareForSave("", isNew: true, ""));
        Assert.Matches("^[a-z0-9]{15}$", generated);
        Assert.Null(id.Validate(generated));
        Assert.Equal("validation_invalid_format", Code(id.Validate("ABCDEFGHIJKLMNO")));
        Assert.Empty(DefinitionErrors(id).Items);
    }

    [Fact]
    public void Autogenerates_only_on_create_when_empty()
    {
        var f = new TextField { AutogeneratePattern = "[a-z]{5}" };
        Assert.Matches("^[a-z]{5}$", (string)f.PrepareForSave("", true, "")!);
        Assert.Matches("^[a-z]{5}$", (string)f.PrepareForSave(null, true, "")!);
        Assert.Equal("given", f.PrepareForSave("given", true, ""));
        Assert.Equal("", f.PrepareForSave("", false, ""));
        Assert.Equal("", new TextField().PrepareForSave("", true, ""));
    }

    [Fact]
    public void Autogenerate_modifier_appends_a_generated_value()
    {
        var f = new TextField { AutogeneratePattern = "[0-9]{4}" };
        var v = (string)Modify(f, FieldModifier.Autogenerate, "old", "\"pre-\"")!;
        Assert.Matches("^pre-[0-9]{4}$", v);
        Assert.Equal("pre-", Modify(new TextField(), FieldModifier.Autogenerate, "", "\"pre-\""));
        Assert.False(f.TryApplyModifier(FieldModifier.Append, "x", J("\"y\""), out _, out _));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (TextField)AssertRoundTrip("{" + CommonKeys("text", "title") +
            ",\"min\":1,\"max\":200,\"pattern\":\"^\\\\w+$\",\"autogeneratePattern\":\"[a-z]{3}\",\"required\":true,\"primaryKey\":false}");
        Assert.Equal((1, 200, "^\\w+$", "[a-z]{3}", true), (f.Min, f.Max, f.Pattern, f.AutogeneratePattern, f.Required));
        AssertRoundTrip("{" + CommonKeys("text", "id").Replace("\"system\":false", "\"system\":true", StringComparison.Ordinal) +
            ",\"min\":15,\"max\":15,\"pattern\":\"^[a-z0-9]+$\",\"autogeneratePattern\":\"[a-z0-9]{15}\",\"required\":true,\"primaryKey\":true}");
    }

    [Fact]
    public void Wrong_option_types_are_reported_by_key()
    {
        var errors = ReadErrors("{\"type\":\"text\",\"name\":\"t\",\"max\":\"abc\",\"min\":1.5,\"required\":\"yes\",\"pattern\":5}");
        Assert.Equal(4, errors.Count);
        foreach (var key in new[] { "max", "min", "required", "pattern" }) Assert.True(errors.Contains(key), key);
        Assert.Equal("validation_invalid_value", OptionCode(errors, "max"));
    }

    [Fact]
    public void Definition_validation()
    {
        Assert.True(DefinitionErrors(new TextField { Name = "t", Min = -1 }).Contains("min"));
        Assert.True(DefinitionErrors(new TextField { Name = "t", Min = 5, Max = 3 }).Contains("max"));
        Assert.True(DefinitionErrors(new TextField { Name = "t", Pattern = "([a-z" }).Contains("pattern"));
        Assert.True(DefinitionErrors(new TextField { Name = "t", Pattern = "(a)\\1" }).Contains("pattern")); // no backreferences (RE2)
        Assert.True(DefinitionErrors(new TextField { Name = "t", PrimaryKey = true, Required = true }).Contains("primaryKey"));
        Assert.True(DefinitionErrors(new TextField { Name = "t", AutogeneratePattern = "[a-z]{3}", Pattern = "^[0-9]+$" }).Contains("autogeneratePattern"));
        Assert.True(DefinitionErrors(new TextField { Name = "t", AutogeneratePattern = "(?=x)" }).Contains("autogeneratePattern"));
        Assert.False(DefinitionErrors(new TextField { Name = "t", AutogeneratePattern = "[a-z]{3}", Pattern = "^[a-z]+$" }).Contains("autogeneratePattern"));
    }

    [Fact]
    public void Clone_is_independent()
    {
        var f = new TextField { Name = "a", Max = 3 };
        var c = (TextField)f.Clone();
        c.Max = 10;
        Assert.Equal(3, f.Max);
        Assert.Equal("a", c.Name);
    }
}
