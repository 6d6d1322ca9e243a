using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// Uploaded files ("file"): stored as filenames. Single (maxSelect ≤ 1): a filename; multiple: a list stored as a
/// JSON array. Uploads themselves are handled by the record service; this class validates counts and options.
/// Modifiers on filenames: "name+", "+name", "name-".
/// </summary>
public sealed partial class FileField : Field
{
    /// <summary>The default maximum size per file when <see cref="MaxSize"/> is 0 (5 MiB).</summary>
    public const long DefaultMaxSize = 5 << 20;

    /// <summary>Maximum bytes per file (0 ⇒ <see cref="DefaultMaxSize"/>).</summary>
    public long MaxSize { get; set; }

    /// <summary>≤ 1 single, ≥ 2 multiple.</summary>
    public int MaxSelect { get; set; }

    /// <summary>Allowed MIME types (empty = any).</summary>
    public List<string> MimeTypes { get; set; } = [];

    /// <summary>Thumb sizes like "100x100", "0x300", "100x100t" (t=top, b=bottom, f=fit).</summary>
    public List<string> Thumbs { get; set; } = [];

    /// <summary>Files need a file token to be downloaded.</summary>
    public bool Protected { get; set; }

    public bool Required { get; set; }

    public override string Type => "file";
    public override ColumnKind Kind => IsMultiple ? ColumnKind.JsonArray : ColumnKind.Text;
    public override bool IsMultiple => MaxSelect > 1;
    public override object? ZeroValue => IsMultiple ? Array.Empty<string>() : "";

    public long EffectiveMaxSize => MaxSize > 0 ? MaxSize : DefaultMaxSize;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryLong(json, "maxSize", errors, out var maxSize)) MaxSize = maxSize;
        if (FieldOptions.TryInt(json, "maxSelect", errors, out var maxSelect)) MaxSelect = maxSelect;
        if (FieldOptions.TryStringList(json, "mimeTypes", errors, out var mimeTypes)) MimeTypes = mimeTypes;
        if (FieldOptions.TryStringList(json, "thumbs", errors, out var thumbs)) Thumbs = thumbs;
        if (FieldOptions.TryBool(json, "protected", errors, out var isProtected)) Protected = isProtected;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("maxSize", MaxSize);
        writer.WriteNumber("maxSelect", MaxSelect);
        FieldOptions.WriteStringList(writer, "mimeTypes", MimeTypes);
        FieldOptions.WriteStringList(writer, "thumbs", Thumbs);
        writer.WriteBoolean("protected", Protected);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (MaxSize < 0) errors.Add("maxSize", FieldErrors.MinGreaterEqual(0));
        if (MaxSelect < 0) errors.Add("maxSelect", FieldErrors.MinGreaterEqual(0));
        var thumbErrors = new ErrorData();
        for (var i = 0; i < Thumbs.Count; i++)
        {
            if (!IsValidThumb(Thumbs[i]))
                thumbErrors.Add(i.ToString(CultureInfo.InvariantCulture), new FieldError("validation_invalid_thumb_size", "Invalid thumb size format."));
        }
        errors.Add("thumbs", thumbErrors);
        var mimeErrors = new ErrorData();
        for (var i = 0; i < MimeTypes.Count; i++)
        {
            if (!MimeType().IsMatch(MimeTypes[i]))
                mimeErrors.Add(i.ToString(CultureInfo.InvariantCulture), new FieldError("validation_invalid_mime_type", "Invalid MIME type."));
        }
        errors.Add("mimeTypes", mimeErrors);
    }

    /// <summary>"WxH" with an optional t/b/f suffix; 0x0 is refused.</summary>
    public static bool IsValidThumb(string thumb)
    {
        var m = Thumb().Match(thumb);
        if (!m.Success) return false;
        return !(IsZero(m.Groups[1].Value) && IsZero(m.Groups[2].Value));
    }

    private static bool IsZero(string digits) => digits.All(c => c == '0');

    /// <summary>A filename, a list of filenames, or a string holding a JSON array. A single file field keeps the last.</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryNormalize(input, IsMultiple, "Must be a filename or an array of filenames.", out value, out error);

    public override bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryApplyModifier(modifier, current, input, IsMultiple, "Must be a filename or an array of filenames.", out value, out error);

    public override FieldError? Validate(object? value)
    {
        var files = FieldValues.ToList(value);
        if (files.Count == 0) return Required ? FieldError.Required() : null;
        var max = Math.Max(MaxSelect, 1);
        if (files.Count > max)
        {
            return new FieldError("validation_too_many_files",
                string.Create(CultureInfo.InvariantCulture, $"The maximum allowed files is {max}."), FieldErrors.Params("maxSelect", max));
        }
        return null;
    }

    protected override void OnCloned()
    {
        MimeTypes = [.. MimeTypes];
        Thumbs = [.. Thumbs];
    }

    [GeneratedRegex(@"^([0-9]+)x([0-9]+)(t|b|f)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Thumb();

    [GeneratedRegex(@"^[\w.+-]+/[\w.+*-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex MimeType();
}
