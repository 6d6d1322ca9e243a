using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>Any JSON value ("json"); the CLR value is a JsonNode? (null = JSON null, the zero value).</summary>
public sealed class JsonField : Field
{
    /// <summary>The default maximum serialized size when <see cref="MaxSize"/> is 0 (1 MiB).</summary>
    public const long DefaultMaxSize = 1 << 20;

    private static readonly JsonWriterOptions MeasureOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Maximum size of the serialized JSON in bytes (0 ⇒ <see cref="DefaultMaxSize"/>).</summary>
    public long MaxSize { get; set; }

    /// <summary>Required means not null, "", [] or {}.</summary>
    public bool Required { get; set; }

    public override string Type => "json";
    public override ColumnKind Kind => ColumnKind.Json;
    public override object? ZeroValue => null;

    public long EffectiveMaxSize => MaxSize > 0 ? MaxSize : DefaultMaxSize;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryLong(json, "maxSize", errors, out var maxSize)) MaxSize = maxSize;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("maxSize", MaxSize);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (MaxSize < 0) errors.Add("maxSize", FieldErrors.MinGreaterEqual(0));
    }

    /// <summary>
    /// Non-string values are taken as they are (deep copied). Strings follow PocketBase's multipart-friendly rule:
    /// "true", "false", "null" and valid JSON numbers, arrays, objects and quoted strings are parsed; any other
    /// string (also "") is stored as a JSON string.
    /// </summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        error = null;
        if (input is null || input.GetValueKind() == JsonValueKind.Null)
        {
            value = null;
            return true;
        }
        if (!FieldValues.IsString(input, out var s))
        {
            value = input.DeepClone();
            return true;
        }
        value = ParseLenient(s);
        return true;
    }

    /// <summary>The string rule of <see cref="TryNormalize"/>.</summary>
    public static JsonNode? ParseLenient(string s)
    {
        if (s is "null") return null;
        if (s is "true" or "false") return JsonValue.Create(s == "true");
        if (s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] is '-' or '"' or '[' or '{') && TryParse(s, out var parsed))
            return parsed;
        return JsonValue.Create(s);
    }

    private static bool TryParse(string raw, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(raw);
            // Force full materialization so duplicate keys and similar problems surface here.
            _ = node?.ToJsonString();
            return true;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            node = null;
            return false;
        }
    }

    public override FieldError? Validate(object? value)
    {
        JsonNode? node;
        switch (value)
        {
            case null:
                node = null;
                break;
            case JsonNode n:
                node = n;
                break;
            case string raw:
                // A raw JSON text (as stored).
                if (!TryParse(raw, out node)) return new FieldError("validation_invalid_json", "Must be a valid json value.");
                break;
            default:
                return new FieldError("validation_invalid_json", "Must be a valid json value.");
        }
        if (Required && IsEmpty(node)) return FieldError.Required();
        if (node is null) return null;
        var size = MeasureSize(node);
        var max = EffectiveMaxSize;
        if (size > max)
        {
            return new FieldError("validation_json_size_limit",
                string.Create(CultureInfo.InvariantCulture, $"The maximum allowed JSON size is {max} bytes."), FieldErrors.Params("maxSize", max));
        }
        return null;
    }

    public override void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (value is string raw)
        {
            if (JsonValues.IsValidJson(raw)) writer.WriteRawValue(raw, skipInputValidation: true);
            else writer.WriteStringValue(raw);
            return;
        }
        base.WriteValue(writer, value);
    }

    /// <summary>null, "", [] and {}.</summary>
    public static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            _ => false,
        },
        _ => false,
    };

    /// <summary>The UTF-8 size of the compact serialization (non-ASCII text not escaped).</summary>
    public static long MeasureSize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, MeasureOptions)) node.WriteTo(w);
        return buffer.WrittenCount;
    }
}
