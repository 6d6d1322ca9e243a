using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A datetime field ("date"): values are "YYYY-MM-DD HH:MM:SS.sssZ" UTC strings or "".</summary>
public sealed class DateField : Field
{
    /// <summary>Earliest allowed datetime ("" = none), normalized.</summary>
    public string Min { get; set; } = "";

    /// <summary>Latest allowed datetime ("" = none), normalized.</summary>
    public string Max { get; set; } = "";

    public bool Required { get; set; }

    public override string Type => "date";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryString(json, "min", errors, out var min))
        {
            if (DateTimes.TryNormalize(min, out var n)) Min = n; else errors.Add("min", InvalidDate());
        }
        if (FieldOptions.TryString(json, "max", errors, out var max))
        {
            if (DateTimes.TryNormalize(max, out var n)) Max = n; else errors.Add("max", InvalidDate());
        }
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteString("min", Min);
        writer.WriteString("max", Max);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (!DateTimes.TryNormalize(Min, out var min)) errors.Add("min", InvalidDate());
        if (!DateTimes.TryNormalize(Max, out var max)) errors.Add("max", InvalidDate());
        else if (min.Length > 0 && max.Length > 0 && string.CompareOrdinal(max, min) < 0)
            errors.Add("max", new FieldError("validation_min_date_constraint", $"Must be equal or after {min}.", FieldErrors.Params("min", min)));
    }

    /// <summary>A datetime string in any accepted layout (see <see cref="DateTimes.TryNormalize"/>), "" or null.</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        if (input is null || input.GetValueKind() == JsonValueKind.Null)
        {
            value = "";
            error = null;
            return true;
        }
        if (FieldValues.IsString(input, out var s) && DateTimes.TryNormalize(s, out var normalized))
        {
            value = normalized;
            error = null;
            return true;
        }
        value = null;
        error = InvalidDate();
        return false;
    }

    public override FieldError? Validate(object? value)
    {
        var s = value as string ?? "";
        if (s.Length == 0) return Required ? FieldError.Required() : null;
        if (!DateTimes.TryNormalize(s, out var v)) return InvalidDate();
        if (Min.Length > 0 && DateTimes.TryNormalize(Min, out var min) && min.Length > 0 && string.CompareOrdinal(v, min) < 0)
            return new FieldError("validation_min_date_constraint", $"Must be equal or after {min}.", FieldErrors.Params("min", min));
        if (Max.Length > 0 && DateTimes.TryNormalize(Max, out var max) && max.Length > 0 && string.CompareOrdinal(v, max) > 0)
            return new FieldError("validation_max_date_constraint", $"Must be equal or before {max}.", FieldErrors.Params("max", max));
        return null;
    }

    private static FieldError InvalidDate() => new("validation_invalid_date", "Must be a valid datetime.");
}
