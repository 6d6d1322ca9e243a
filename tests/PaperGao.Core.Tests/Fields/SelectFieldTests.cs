using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class SelectFieldTests
{
    private static SelectField Single() => new() { Name = "s", Values = ["a", "b", "c"], MaxSelect = 1 };
    private static SelectField Multi() => new() { Name = "m", Values = ["a", "b", "c"], MaxSelect = 2 };

    [Fact]
    public void Kind_follows_max_select()
    {
        Assert.Equal(ColumnKind.Text, Single().Kind);
        Assert.False(Single().IsMultiple);
        Assert.Equal(ColumnKind.Text, new SelectField().Kind);
        Assert.Equal(ColumnKind.JsonArray, Multi().Kind);
        Assert.True(Multi().IsMultiple);
        Assert.Equal("", Single().ZeroValue);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(Multi().ZeroValue));
    }

    [Fact]
    public void Single_keeps_the_last_value()
    {
        Assert.Equal("a", Norm(Single(), "\"a\""));
        Assert.Equal("b", Norm(Single(), "[\"a\",\"b\"]"));
        Assert.Equal("", Norm(Single(), "[]"));
        Assert.Equal("", Norm(Single(), "null"));
        Assert.Equal("", Norm(Single(), "\"\""));
    }

    [Fact]
    public void Multi_gives_unique_lists()
    {
        Assert.Equal(["a"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(Multi(), "\"a\"")));
        Assert.Equal(["a", "b"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(Multi(), "[\"a\",\"b\",\"a\",\"\"]")));
        Assert.Equal(["b", "c"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(Multi(), "\"[\\\"b\\\",\\\"c\\\"]\"")));
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(Multi(), "null")));
        Assert.Equal("validation_invalid_value", NormFails(Multi(), "[{\"a\":1}]"));
        Assert.Equal("validation_invalid_value", NormFails(Multi(), "{}"));
    }

    [Fact]
    public void Validation()
    {
        Assert.Null(Single().Validate(""));
        Assert.Equal("validation_required", Code(new SelectField { Values = ["a"], Required = true }.Validate("")));
        Assert.Equal("validation_required", Code(new SelectField { Values = ["a"], MaxSelect = 2, Required = true }.Validate(Array.Empty<string>())));
        var invalid = Single().Validate("x");
        Assert.Equal("validation_invalid_value", Code(invalid));
        Assert.Equal("x", invalid!.Params!["value"]);
        var tooMany = Multi().Validate(new[] { "a", "b", "c" });
        Assert.Equal("validation_too_many_values", Code(tooMany));
        Assert.Equal(2, tooMany!.Params!["maxSelect"]);
        Assert.Null(Multi().Validate(new[] { "a", "c" }));
    }

    [Fact]
    public void Modifiers()
    {
        var m = Multi();
        IReadOnlyList<string> current = ["a"];
        Assert.Equal(["a", "b"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(m, FieldModifier.Append, current, "\"b\"")));
        Assert.Equal(["c", "b", "a"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(m, FieldModifier.Prepend, current, "[\"c\",\"b\",\"a\"]")));
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(m, FieldModifier.Remove, current, "[\"a\"]")));
        Assert.Equal(["a"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(m, FieldModifier.Append, null, "\"a\"")));
        // single: append replaces, prepend keeps the current value, remove clears a matching value
        Assert.Equal("b", Modify(Single(), FieldModifier.Append, "a", "\"b\""));
        Assert.Equal("a", Modify(Single(), FieldModifier.Prepend, "a", "\"b\""));
        Assert.Equal("", Modify(Single(), FieldModifier.Remove, "a", "\"a\""));
        Assert.False(m.TryApplyModifier(FieldModifier.Autogenerate, current, J("\"x\""), out _, out _));
    }

    [Fact]
    public void Options_round_trip_and_definition()
    {
        var f = (SelectField)AssertRoundTrip("{" + CommonKeys("select", "status") + ",\"maxSelect\":2,\"values\":[\"draft\",\"published\"],\"required\":false}");
        Assert.Equal(["draft", "published"], f.Values);
        Assert.True(ReadErrors("{\"type\":\"select\",\"values\":\"a,b\"}").Contains("values"));
        Assert.True(DefinitionErrors(new SelectField()).Contains("values"));
        Assert.True(DefinitionErrors(new SelectField { Values = ["a"], MaxSelect = 2 }).Contains("maxSelect"));
        Assert.True(DefinitionErrors(new SelectField { Values = ["a", "a"] }).Contains("values"));
        Assert.Empty(DefinitionErrors(Multi()).Items);
        var clone = (SelectField)f.Clone();
        clone.Values.Add("x");
        Assert.Equal(2, f.Values.Count);
    }
}
