using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Json;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Functions.Js;

/// <summary>Values across the boundary: JavaScript values to System.Text.Json nodes and back (through JSON text).</summary>
public static class JsConvert
{
    public static JsonNode? ToNode(Jint.Engine js, JsValue v)
    {
        if (v.IsUndefined() || v.IsNull()) return null;
        if (v.IsString()) return JsonValue.Create(v.AsString());
        if (v.IsBoolean()) return JsonValue.Create(v.AsBoolean());
        if (v.IsNumber()) return JsonValue.Create(v.AsNumber());
        var text = new Jint.Native.Json.JsonSerializer(js).Serialize(v, JsValue.Undefined, JsValue.Undefined);
        return text.IsString() ? JsonNode.Parse(text.AsString()) : null;
    }

    public static JsValue FromNode(Jint.Engine js, JsonNode? n) => n switch
    {
        null => JsValue.Null,
        JsonValue v when v.TryGetValue<string>(out var s) => new JsString(s),
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? JsBoolean.True : JsBoolean.False,
        JsonValue v when v.TryGetValue<double>(out var d) => new JsNumber(d),
        _ => new JsonParser(js).Parse(n.ToJsonString()),
    };

    public static JsValue FromJson(Jint.Engine js, string json) => new JsonParser(js).Parse(json);

    /// <summary>A record field's value as JSON (as the API shows it).</summary>
    public static JsonNode? FieldValue(Field f, object? value)
    {
        if (value is PasswordInput) return null;
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer)) f.WriteValue(w, value);
        return JsonNode.Parse(buffer.WrittenSpan);
    }

    /// <summary>A JavaScript value as text (console.log arguments).</summary>
    public static string Text(Jint.Engine js, JsValue v)
    {
        if (v.IsString()) return v.AsString();
        if (v.IsUndefined()) return "undefined";
        if (v is Jint.Native.Object.ObjectInstance && !JsValueExtensions.IsArray(v) && v.ToObject() is not IDictionary<string, object?> && v.ToObject() is { } clr && clr.GetType().Namespace == typeof(JsConvert).Namespace)
            return clr.ToString() ?? "";
        try
        {
            var text = new Jint.Native.Json.JsonSerializer(js).Serialize(v, JsValue.Undefined, JsValue.Undefined);
            return text.IsString() ? text.AsString() : v.ToString();
        }
        catch (Jint.Runtime.JavaScriptException)
        {
            return v.ToString();
        }
    }
}
