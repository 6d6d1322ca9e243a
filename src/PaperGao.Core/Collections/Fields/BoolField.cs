using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A boolean field ("bool").</summary>
public sealed class BoolField : Field
{
    /// <summary>Required means the value must be true.</summary>
    public bool Required { get; set; }

    public override string Type => "bool";
    public override ColumnKind Kind => ColumnKind.Bool;
    public override object? ZeroValue => false;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer) => writer.WriteBoolean("required", Required);

    /// <summary>
    /// true/false, 1/0 and the strings Go's strconv.ParseBool accepts ("true", "1", "t", "TRUE", ...);
    /// null and "" are false. Anything else is refused.
    /// </summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        error = null;
        value = false;
        switch (input?.GetValueKind())
        {
            case null or JsonValueKind.Null:
            case JsonValueKind.False:
                return true;
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.Number when FieldValues.TryGetJsonNumber(input, out var d) && d is 0 or 1:
                value = d == 1;
                return true;
            case JsonValueKind.String:
                switch (input!.GetValue<string>().Trim())
                {
                    case "" or "0" or "f" or "F" or "false" or "False" or "FALSE":
                        return true;
                    case "1" or "t" or "T" or "true" or "True" or "TRUE":
                        value = true;
                        return true;
                }
                break;
        }
        value = null;
        error = new FieldError("validation_invalid_bool", "Must be a boolean.");
        return false;
    }

    public override FieldError? Validate(object? value) => Required && value is not true ? FieldError.Required() : null;
}
