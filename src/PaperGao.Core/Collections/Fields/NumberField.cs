using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A float64 field ("number"). Modifiers: "name+" adds, "name-" subtracts.</summary>
public sealed class NumberField : Field
{
    /// <summary>Smallest allowed value (null = none).</summary>
    public double? Min { get; set; }

    /// <summary>Largest allowed value (null = none).</summary>
    public double? Max { get; set; }

    public bool OnlyInt { get; set; }

    /// <summary>Required means non-zero.</summary>
    public bool Required { get; set; }

    public override string Type => "number";
    public override ColumnKind Kind => ColumnKind.Number;
    public override object? ZeroValue => 0d;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryNullableDouble(json, "min", errors, out var min)) Min = min;
        if (FieldOptions.TryNullableDouble(json, "max", errors, out var max)) Max = max;
        if (FieldOptions.TryBool(json, "onlyInt", errors, out var onlyInt)) OnlyInt = onlyInt;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        FieldOptions.WriteNullableNumber(writer, "min", Min);
        FieldOptions.WriteNullableNumber(writer, "max", Max);
        writer.WriteBoolean("onlyInt", OnlyInt);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (OnlyInt && Min is { } min && min != Math.Floor(min)) errors.Add("min", OnlyIntError());
        if (OnlyInt && Max is { } max && max != Math.Floor(max)) errors.Add("max", OnlyIntError());
        if (Min is { } lo && Max is { } hi && hi < lo) errors.Add("max", FieldErrors.MinGreaterEqual(lo));
    }

    /// <summary>
    /// JSON numbers and numeric strings ("12.5"; "" and null are 0). Other strings, booleans, arrays and objects,
    /// NaN, infinities and numbers beyond the double range are refused with validation_not_a_number.
    /// </summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        if (TryNumber(input, out var d))
        {
            value = d;
            error = null;
            return true;
        }
        value = null;
        error = NotANumber();
        return false;
    }

    public override bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, out object? value, out FieldError? error)
    {
        if (modifier is not (FieldModifier.Append or FieldModifier.Remove)) return base.TryApplyModifier(modifier, current, input, out value, out error);
        value = current;
        if (!TryNumber(input, out var d))
        {
            error = NotANumber();
            return true;
        }
        var baseValue = current is double c ? c : 0;
        var result = modifier == FieldModifier.Append ? baseValue + d : baseValue - d;
        if (!double.IsFinite(result))
        {
            error = NotANumber();
            return true;
        }
        value = result;
        error = null;
        return true;
    }

    public override FieldError? Validate(object? value)
    {
        var d = value is double v ? v : 0;
        if (!double.IsFinite(d)) return NotANumber();
        if (d == 0)
        {
            if (Required) return FieldError.Required();
            // PocketBase skips the other checks for zero.
            return null;
        }
        if (OnlyInt && d != Math.Floor(d)) return OnlyIntError();
        if (Min is { } min && d < min)
        {
            return new FieldError("validation_min_number_constraint", $"Must be larger than {FieldOptions.Format(min)}.", FieldErrors.Params("min", min));
        }
        if (Max is { } max && d > max)
        {
            return new FieldError("validation_max_number_constraint", $"Must be less than {FieldOptions.Format(max)}.", FieldErrors.Params("max", max));
        }
        return null;
    }

    private static bool TryNumber(JsonNode? input, out double value)
    {
        value = 0;
        if (input is null) return true;
        if (FieldValues.TryGetJsonNumber(input, out value)) return true;
        if (FieldValues.IsString(input, out var s))
        {
            if (s.Trim().Length == 0) { value = 0; return true; }
            return FieldValues.TryParseNumber(s, out value);
        }
        if (input is JsonValue v && v.GetValueKind() == JsonValueKind.Null) return true;
        return false;
    }

    private static FieldError NotANumber() => new("validation_not_a_number", "Must be a valid number.");

    private static FieldError OnlyIntError() => new("validation_only_int_constraint", "Only integers are allowed.");
}
