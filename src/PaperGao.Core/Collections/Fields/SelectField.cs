using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// A choice among fixed values ("select"). Single (maxSelect ≤ 1): a string; multiple (maxSelect ≥ 2):
/// a deduplicated list stored as a JSON array. Modifiers: "name+", "+name", "name-".
/// </summary>
public sealed class SelectField : Field
{
    /// <summary>The allowed values.</summary>
    public List<string> Values { get; set; } = [];

    /// <summary>≤ 1 single, ≥ 2 multiple (the maximum number of values).</summary>
    public int MaxSelect { get; set; }

    public bool Required { get; set; }

    public override string Type => "select";
    public override ColumnKind Kind => IsMultiple ? ColumnKind.JsonArray : ColumnKind.Text;
    public override bool IsMultiple => MaxSelect > 1;
    public override object? ZeroValue => IsMultiple ? Array.Empty<string>() : "";

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryInt(json, "maxSelect", errors, out var maxSelect)) MaxSelect = maxSelect;
        if (FieldOptions.TryStringList(json, "values", errors, out var values)) Values = values;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("maxSelect", MaxSelect);
        FieldOptions.WriteStringList(writer, "values", Values);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (Values.Count == 0) errors.Add("values", FieldError.Required());
        else if (Values.Any(v => v.Length == 0)) errors.Add("values", FieldErrors.InvalidValue("The values must not be empty."));
        else if (Values.Distinct(StringComparer.Ordinal).Count() != Values.Count) errors.Add("values", FieldErrors.InvalidValue("The values must be unique."));
        if (MaxSelect < 0) errors.Add("maxSelect", FieldErrors.MinGreaterEqual(0));
        else if (Values.Count > 0 && MaxSelect > Values.Count) errors.Add("maxSelect", FieldErrors.MaxLessEqual(Values.Count));
    }

    /// <summary>A string, a list of strings, or a string holding a JSON array. A single select keeps the last value.</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryNormalize(input, IsMultiple, "Must be a string or an array of strings.", out value, out error);

    public override bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryApplyModifier(modifier, current, input, IsMultiple, "Must be a string or an array of strings.", out value, out error);

    public override FieldError? Validate(object? value)
    {
        var values = FieldValues.ToList(value);
        if (values.Count == 0) return Required ? FieldError.Required() : null;
        var max = Math.Max(MaxSelect, 1);
        if (values.Count > max) return FieldErrors.TooManyValues(max);
        foreach (var v in values)
        {
            if (!Values.Contains(v, StringComparer.Ordinal))
                return new FieldError("validation_invalid_value", $"Invalid value {v}.", FieldErrors.Params("value", v));
        }
        return null;
    }

    protected override void OnCloned() => Values = [.. Values];
}
