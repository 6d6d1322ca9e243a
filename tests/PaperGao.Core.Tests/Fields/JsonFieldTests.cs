using System.Text.Json.Nodes;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class JsonFieldTests
{
    private static string? Stored(object? v) => v is JsonNode n ? n.ToJsonString() : null;

    [Theory]
    [InlineData("\"true\"", "true")]
    [InlineData("\"false\"", "false")]
    [InlineData("\"null\"", null)]
    [InlineData("\"12\"", "12")]
    [InlineData("\"-1.5e3\"", "-1.5e3")]
    [InlineData("\"[1,2,3]\"", "[1,2,3]")]
    [InlineData("\"{\\\"a\\\":1}\"", "{\"a\":1}")]
    [InlineData("\"\\\"quoted\\\"\"", "\"quoted\"")]
    [InlineData("\"hello\"", "\"hello\"")]
    [InlineData("\"\"", "\"\"")]
    [InlineData("\"12abc\"", "\"12abc\"")]
    [InlineData("\"[1,2\"", "\"[1,2\"")]
    [InlineData("\"True\"", "\"True\"")]
    [InlineData("\" 1\"", "\" 1\"")]
    public void String_normalization(string json, string? expected) =>
        Assert.Equal(expected, Stored(Norm(new JsonField(), json)));

    [Theory]
    [InlineData("null", null)]
    [InlineData("1", "1")]
    [InlineData("true", "true")]
    [InlineData("[1,\"a\"]", "[1,\"a\"]")]
    [InlineData("{\"a\":{\"b\":[]}}", "{\"a\":{\"b\":[]}}")]
    public void Non_strings_are_kept(string json, string? expected) =>
        Assert.Equal(expected, Stored(Norm(new JsonField(), json)));

    [Fact]
    public void Normalized_nodes_are_detached()
    {
        var body = (JsonObject)J("{\"data\":{\"a\":1}}")!;
        Assert.True(new JsonField().TryNormalize(body["data"], out var v, out _));
        var node = Assert.IsAssignableFrom<JsonNode>(v);
        Assert.Null(node.Parent);
        new JsonObject { ["x"] = node }; // would throw if still attached
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\\\"\\\"\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Required_refuses_empty_values(string json)
    {
        var f = new JsonField { Required = true };
        Assert.Equal("validation_required", Code(f.Validate(Norm(f, json))));
        Assert.Null(new JsonField().Validate(Norm(f, json)));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("[0]")]
    [InlineData("\"x\"")]
    public void Required_accepts_other_values(string json)
    {
        var f = new JsonField { Required = true };
        Assert.Null(f.Validate(Norm(f, json)));
    }

    [Fact]
    public void Size_limit()
    {
        var f = new JsonField { MaxSize = 10 };
        Assert.Null(f.Validate(J("[1,2,3,4]")));
        var e = f.Validate(J("[1,2,3,4,5,6]"));
        Assert.Equal("validation_json_size_limit", Code(e));
        Assert.Equal(10L, e!.Params!["maxSize"]);
        Assert.Null(new JsonField { MaxSize = 4 }.Validate(J("\"é\""))); // 4 bytes, not escaped
        Assert.Equal(1L << 20, new JsonField().EffectiveMaxSize);
        Assert.Equal("validation_json_size_limit", Code(new JsonField().Validate(JsonValue.Create(new string('a', 1 << 20)))));
    }

    [Fact]
    public void Raw_strings_are_json_text()
    {
        Assert.Null(new JsonField().Validate("{\"a\":1}"));
        Assert.Equal("validation_invalid_json", Code(new JsonField().Validate("{bad")));
    }

    [Fact]
    public void Kind_and_round_trip()
    {
        var f = (JsonField)AssertRoundTrip("{" + CommonKeys("json", "meta") + ",\"maxSize\":2000000,\"required\":false}");
        Assert.Equal(2000000, f.MaxSize);
        Assert.Equal(ColumnKind.Json, f.Kind);
        Assert.Null(f.ZeroValue);
        Assert.True(ReadErrors("{\"type\":\"json\",\"maxSize\":1.5}").Contains("maxSize"));
    }
}
