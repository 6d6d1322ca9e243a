using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// A password ("password"): the stored value is a bcrypt hash string; a submitted value normalizes to a
/// <see cref="PasswordInput"/> holding the plain text, which the record service hashes (with <see cref="EffectiveCost"/>).
/// The value is never written to JSON.
/// </summary>
public sealed class PasswordField : Field
{
    /// <summary>The default and absolute maximum length: bcrypt uses at most 72 bytes.</summary>
    public const int DefaultMax = 71;

    /// <summary>The bcrypt cost used when <see cref="Cost"/> is 0.</summary>
    public const int DefaultCost = 10;

    private readonly PatternCache _pattern = new();

    /// <summary>A regex the plain password must match ("" = none).</summary>
    public string Pattern { get; set; } = "";

    /// <summary>Minimum length in characters.</summary>
    public int Min { get; set; }

    /// <summary>Maximum length in characters (0 ⇒ <see cref="DefaultMax"/>).</summary>
    public int Max { get; set; }

    /// <summary>bcrypt cost (0 ⇒ <see cref="DefaultCost"/>, else 4..31).</summary>
    public int Cost { get; set; }

    public bool Required { get; set; }

    public override string Type => "password";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    public int EffectiveMax => Max > 0 ? Max : DefaultMax;
    public int EffectiveCost => Cost > 0 ? Cost : DefaultCost;

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryInt(json, "cost", errors, out var cost)) Cost = cost;
        if (FieldOptions.TryInt(json, "max", errors, out var max)) Max = max;
        if (FieldOptions.TryInt(json, "min", errors, out var min)) Min = min;
        if (FieldOptions.TryString(json, "pattern", errors, out var pattern)) Pattern = pattern;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteNumber("cost", Cost);
        writer.WriteNumber("max", Max);
        writer.WriteNumber("min", Min);
        writer.WriteString("pattern", Pattern);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (Min < 0) errors.Add("min", FieldErrors.MinGreaterEqual(0));
        else if (Min > DefaultMax) errors.Add("min", FieldErrors.MaxLessEqual(DefaultMax));
        if (Max < 0) errors.Add("max", FieldErrors.MinGreaterEqual(0));
        else if (Max > DefaultMax) errors.Add("max", FieldErrors.MaxLessEqual(DefaultMax));
        else if (Max > 0 && Max < Min) errors.Add("max", FieldErrors.MinGreaterEqual(Min));
        if (Cost != 0 && Cost < 4) errors.Add("cost", FieldErrors.MinGreaterEqual(4));
        else if (Cost > 31) errors.Add("cost", FieldErrors.MaxLessEqual(31));
        if (Pattern.Length > 0 && FieldValues.TryCompile(Pattern) is null) errors.Add("pattern", FieldErrors.InvalidRegex());
    }

    /// <summary>A submitted string (also "" and null, which clear the password) becomes a <see cref="PasswordInput"/>.</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        if (FieldValues.TryToText(input, out var plain))
        {
            value = new PasswordInput(plain);
            error = null;
            return true;
        }
        value = null;
        error = FieldErrors.NotAString();
        return false;
    }

    /// <summary>
    /// A <see cref="PasswordInput"/>: required, then length (in characters, as PocketBase counts) and pattern.
    /// A stored hash string: only required.
    /// </summary>
    public override FieldError? Validate(object? value)
    {
        if (value is PasswordInput input)
        {
            if (input.Plain.Length == 0) return Required ? FieldError.Required() : null;
            var length = FieldValues.RuneCount(input.Plain);
            if (Min > 0 && length < Min) return FieldErrors.MinText(Min);
            if (length > EffectiveMax) return FieldErrors.MaxText(EffectiveMax);
            if (Pattern.Length > 0 && !_pattern.IsMatch(Pattern, input.Plain)) return FieldErrors.InvalidFormat();
            return null;
        }
        var hash = value as string ?? "";
        return Required && hash.Length == 0 ? FieldError.Required() : null;
    }

    /// <summary>Never exposes the hash.</summary>
    public override void WriteValue(Utf8JsonWriter writer, object? value) => writer.WriteStringValue("");

    /// <summary>Never exposes the hash.</summary>
    public override void WriteFromReader(Utf8JsonWriter writer, DbDataReader reader, int ordinal) => writer.WriteStringValue("");
}
