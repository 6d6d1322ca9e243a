using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A rich text (HTML) field ("editor").</summary>
public sealed class EditorField : Field
{
    /// <summary>The default maximum size in bytes when <see cref="MaxSize"/> is 0 (5 MiB).</summary>
    public const long DefaultMaxSize = 5 << 20;

    /// <summary>Maximum size of the UTF-8 content in bytes (0 ⇒ <see cref="DefaultMaxSize"/>).</summary>
    public long MaxSize { get; set; }

    /// <summary>A dashboard hint: convert links to absolute URLs. No server-side effect.</summary>
    public bool ConvertURLs { get; set; }

    public bool Required { get; set; }

    public override string Type => "editor";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    public long EffectiveMaxSize => MaxSize > 0 ? MaxSize : DefaultMaxSize;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryLong(json, "maxSize", errors, out var maxSize)) MaxSize = maxSize;
        if (FieldOptions.TryBool(json, "convertURLs", errors, out var convert)) ConvertURLs = convert;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("maxSize", MaxSize);
        writer.WriteBoolean("convertURLs", ConvertURLs);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (MaxSize < 0) errors.Add("maxSize", FieldErrors.MinGreaterEqual(0));
    }

    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        if (FieldValues.TryToText(input, out var s))
        {
            value = s;
            error = null;
            return true;
        }
        value = null;
        error = FieldErrors.NotAString();
        return false;
    }

    public override FieldError? Validate(object? value)
    {
        var s = value as string ?? "";
        if (s.Length == 0) return Required ? FieldError.Required() : null;
        var max = EffectiveMaxSize;
        // Cheap bound first: a UTF-8 encoding takes at most 3 bytes per UTF-16 char.
        if ((long)s.Length * 3 > max && Encoding.UTF8.GetByteCount(s) > max)
        {
            return new FieldError("validation_content_size_limit",
                string.Create(CultureInfo.InvariantCulture, $"The maximum allowed content size is {max} bytes."),
                FieldErrors.Params("maxSize", max));
        }
        return null;
    }
}
