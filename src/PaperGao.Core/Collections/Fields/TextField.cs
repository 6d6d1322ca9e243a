using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A plain text field ("text"). Also the "id" primary key of every collection.</summary>
public sealed class TextField : Field
{
    /// <summary>The default maximum length (in characters) when <see cref="Max"/> is 0.</summary>
    public const int DefaultMax = 5000;

    private readonly PatternCache _pattern = new();

    /// <summary>Minimum length in characters (0 = none).</summary>
    public int Min { get; set; }

    /// <summary>Maximum length in characters (0 ⇒ <see cref="DefaultMax"/>).</summary>
    public int Max { get; set; }

    /// <summary>A regex that non-empty values must match ("" = none).</summary>
    public string Pattern { get; set; } = "";

    /// <summary>A simple regex used to generate a value on create when empty, and by the ":autogenerate" modifier.</summary>
    public string AutogeneratePattern { get; set; } = "";

    public bool Required { get; set; }

    /// <summary>Only the "id" field.</summary>
    public bool PrimaryKey { get; set; }

    public override string Type => "text";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    /// <summary>The "id" field every collection has.</summary>
    public static TextField CreateIdField() => new()
    {
        Id = "text3208210256",
        Name = "id",
        System = true,
        PrimaryKey = true,
        Required = true,
        Min = 15,
        Max = 15,
        Pattern = "^[a-z0-9]+$",
        AutogeneratePattern = "[a-z0-9]{15}",
    };

    public int EffectiveMax => Max > 0 ? Max : DefaultMax;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryInt(json, "min", errors, out var min)) Min = min;
        if (FieldOptions.TryInt(json, "max", errors, out var max)) Max = max;
        if (FieldOptions.TryString(json, "pattern", errors, out var pattern)) Pattern = pattern;
        if (FieldOptions.TryString(json, "autogeneratePattern", errors, out var auto)) AutogeneratePattern = auto;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
        if (FieldOptions.TryBool(json, "primaryKey", errors, out var pk)) PrimaryKey = pk;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("min", Min);
        writer.WriteNumber("max", Max);
        writer.WriteString("pattern", Pattern);
        writer.WriteString("autogeneratePattern", AutogeneratePattern);
        writer.WriteBoolean("required", Required);
        writer.WriteBoolean("primaryKey", PrimaryKey);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (Min < 0) errors.Add("min", FieldErrors.MinGreaterEqual(0));
        if (Max != 0 && Max < Min) errors.Add("max", FieldErrors.MinGreaterEqual(Min));
        else if (Max < 0) errors.Add("max", FieldErrors.MinGreaterEqual(0));
        if (Pattern.Length > 0 && FieldValues.TryCompile(Pattern) is null) errors.Add("pattern", FieldErrors.InvalidRegex());
        if (PrimaryKey)
        {
            if (Name != "id") errors.Add("primaryKey", new FieldError("validation_invalid_primary_key", "Only the \"id\" field can be the primary key."));
            if (!Required) errors.Add("required", FieldError.Required());
            if (Hidden) errors.Add("hidden", FieldErrors.Empty());
        }
        if (AutogeneratePattern.Length > 0 && !errors.Contains("pattern"))
        {
            // Generate a few values and check them against the other options.
            for (var i = 0; i < 10; i++)
            {
                if (!RegexValueGenerator.TryGenerate(AutogeneratePattern, out var generated, out var message))
                {
                    errors.Add("autogeneratePattern", new FieldError("validation_invalid_autogenerate_pattern", message ?? "Unsupported pattern."));
                    break;
                }
                if (ValidatePlain(generated) is not null)
                {
                    errors.Add("autogeneratePattern", new FieldError("validation_invalid_autogenerate_pattern_value",
                        "The generated values do not satisfy the field options."));
                    break;
                }
            }
        }
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

    /// <summary>"name:autogenerate": the submitted value followed by a generated one.</summary>
    public override bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, out object? value, out FieldError? error)
    {
        if (modifier != FieldModifier.Autogenerate) return base.TryApplyModifier(modifier, current, input, out value, out error);
        if (!FieldValues.TryToText(input, out var prefix))
        {
            value = current;
            error = FieldErrors.NotAString();
            return true;
        }
        value = AutogeneratePattern.Length > 0 && RegexValueGenerator.TryGenerate(AutogeneratePattern, out var generated, out _)
            ? prefix + generated
            : prefix;
        error = null;
        return true;
    }

    public override object? PrepareForSave(object? value, bool isNew, string now)
    {
        if (isNew && AutogeneratePattern.Length > 0 && value is null or "")
        {
            return RegexValueGenerator.TryGenerate(AutogeneratePattern, out var generated, out _) ? generated : value;
        }
        return value;
    }

    public override FieldError? Validate(object? value)
    {
        var s = value as string ?? "";
        if (s.Length == 0) return Required ? FieldError.Required() : null;
        return ValidatePlain(s);
    }

    private FieldError? ValidatePlain(string s)
    {
        var length = FieldValues.RuneCount(s);
        if (Min > 0 && length < Min) return FieldErrors.MinText(Min);
        if (length > EffectiveMax) return FieldErrors.MaxText(EffectiveMax);
        if (Pattern.Length > 0 && !_pattern.IsMatch(Pattern, s)) return FieldErrors.InvalidFormat();
        return null;
    }
}
