using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using Xunit;

namespace PaperGao.Core.Tests.Fields;

internal static class FieldTestUtil
{
    public static JsonNode? J(string json) => JsonNode.Parse(json);

    /// <summary>Normalizes a JSON literal and asserts success.</summary>
    public static object? Norm(Field f, string json)
    {
        var ok = f.TryNormalize(J(json), out var value, out var error);
        Assert.True(ok, $"{json} refused: {error?.Code}");
        Assert.Null(error);
        return value;
    }

    /// <summary>Normalizes a JSON literal and asserts failure; returns the error code.</summary>
    public static string NormFails(Field f, string json)
    {
        var ok = f.TryNormalize(J(json), out _, out var error);
        Assert.False(ok, $"{json} accepted");
        Assert.NotNull(error);
        return error.Code;
    }

    public static object? Modify(Field f, FieldModifier m, object? current, string json)
    {
        Assert.True(f.TryApplyModifier(m, current, J(json), out var value, out var error));
        Assert.Null(error);
        return value;
    }

    public static string? Code(FieldError? e) => e?.Code;

    /// <summary>Reads a field JSON, asserts no errors, writes it back and compares (key order ignored).</summary>
    public static Field AssertRoundTrip(string json)
    {
        var errors = new ErrorData();
        var f = FieldJson.Read((JsonObject)J(json)!, errors);
        Assert.True(errors.IsEmpty, string.Join(",", errors.Items.Select(i => i.Key)));
        Assert.NotNull(f);
        var written = FieldJson.ToJsonString(f);
        Assert.True(JsonNode.DeepEquals(J(json), J(written)), $"expected {json}\nwritten  {written}");
        return f;
    }

    /// <summary>Reads a field JSON and returns the error keys.</summary>
    public static ErrorData ReadErrors(string json)
    {
        var errors = new ErrorData();
        FieldJson.Read((JsonObject)J(json)!, errors);
        return errors;
    }

    public static string OptionCode(ErrorData errors, string key) => Assert.IsType<FieldError>(errors[key]).Code;

    public static ErrorData DefinitionErrors(Field f, CollectionSet? all = null, Collection? collection = null)
    {
        var errors = new ErrorData();
        f.ValidateDefinition(collection ?? new Collection { Id = "pbc_1", Name = "posts" }, all ?? CollectionSet.Empty, errors);
        return errors;
    }

    public static string CommonKeys(string type, string name) =>
        $"\"id\":\"{FieldIds.For(type, name)}\",\"name\":\"{name}\",\"type\":\"{type}\",\"system\":false,\"hidden\":false,\"presentable\":false,\"help\":\"\"";
}
