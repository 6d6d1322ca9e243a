using System.Text;
using System.Text.Json;
using PaperGao.Core.Collections.Fields;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class PasswordFieldTests
{
    [Fact]
    public void Submitted_strings_become_inputs()
    {
        var f = new PasswordField();
        Assert.Equal(new PasswordInput("secret123"), Norm(f, "\"secret123\""));
        Assert.Equal(new PasswordInput(""), Norm(f, "null"));
        Assert.Equal("validation_invalid_value", NormFails(f, "[\"x\"]"));
        Assert.DoesNotContain("secret", new PasswordInput("secret").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_length_and_pattern()
    {
        var f = new PasswordField { Min = 8, Pattern = "[0-9]" };
        var min = f.Validate(new PasswordInput("abc1"));
        Assert.Equal("validation_min_text_constraint", Code(min));
        Assert.Equal(8, min!.Params!["min"]);
        Assert.Equal("validation_invalid_format", Code(f.Validate(new PasswordInput("abcdefgh"))));
        Assert.Null(f.Validate(new PasswordInput("abcdefg1")));
        Assert.Null(new PasswordField().Validate(new PasswordInput(new string('a', 71))));
        var max = new PasswordField().Validate(new PasswordInput(new string('a', 72)));
        Assert.Equal("validation_max_text_constraint", Code(max));
        Assert.Equal(71L, Convert.ToInt64(max!.Params!["max"]));
        Assert.Equal("validation_max_text_constraint", Code(new PasswordField { Max = 10 }.Validate(new PasswordInput(new string('a', 11)))));
    }

    [Fact]
    public void Required()
    {
        var f = new PasswordField { Required = true, Min = 8 };
        Assert.Equal("validation_required", Code(f.Validate(new PasswordInput(""))));
        Assert.Equal("validation_required", Code(f.Validate("")));
        Assert.Equal("validation_required", Code(f.Validate(null)));
        Assert.Null(f.Validate("$2a$10$abcdefghijklmnopqrstuv")); // a stored hash: only required is checked
        Assert.Null(new PasswordField().Validate(new PasswordInput("")));
    }

    [Fact]
    public void Never_written_as_a_value()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartArray();
            new PasswordField().WriteValue(w, "$2a$10$hash");
            new PasswordField().WriteValue(w, new PasswordInput("plain"));
            w.WriteEndArray();
        }
        Assert.Equal("[\"\",\"\"]", Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void Options_round_trip_and_definition()
    {
        var f = (PasswordField)AssertRoundTrip("{" + CommonKeys("password", "password").Replace("\"hidden\":false", "\"hidden\":true", StringComparison.Ordinal) +
            ",\"cost\":0,\"max\":0,\"min\":8,\"pattern\":\"\",\"required\":true}");
        Assert.Equal(10, f.EffectiveCost);
        Assert.True(f.Hidden);
        Assert.Empty(DefinitionErrors(f).Items);
        Assert.True(DefinitionErrors(new PasswordField { Cost = 3 }).Contains("cost"));
        Assert.True(DefinitionErrors(new PasswordField { Cost = 32 }).Contains("cost"));
        Assert.True(DefinitionErrors(new PasswordField { Max = 72 }).Contains("max"));
        Assert.True(DefinitionErrors(new PasswordField { Min = 10, Max = 5 }).Contains("max"));
        Assert.True(DefinitionErrors(new PasswordField { Pattern = "(" }).Contains("pattern"));
        Assert.True(ReadErrors("{\"type\":\"password\",\"cost\":\"10\"}").Contains("cost"));
    }
}
