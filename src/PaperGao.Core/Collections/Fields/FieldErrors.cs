using System.Globalization;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>The validation errors shared by several field types (codes per protocol.md §1.5).</summary>
internal static class FieldErrors
{
    public static FieldError InvalidOption(string message) => new("validation_invalid_value", message);

    public static FieldError MinText(int min) => new("validation_min_text_constraint",
        string.Create(CultureInfo.InvariantCulture, $"Must be at least {min} character(s)."), Params("min", min));

    public static FieldError MaxText(long max) => new("validation_max_text_constraint",
        string.Create(CultureInfo.InvariantCulture, $"Must be no more than {max} character(s)."), Params("max", max));

    public static FieldError InvalidFormat() => new("validation_invalid_format", "Invalid value format.");

    public static FieldError InvalidValue(string message = "Invalid value.") => new("validation_invalid_value", message);

    public static FieldError NotAString() => new("validation_invalid_value", "Must be a string.");

    public static FieldError InvalidRegex() => new("validation_invalid_regex", "Invalid regular expression pattern.");

    public static FieldError MinGreaterEqual(object threshold) => new("validation_min_greater_equal_than_required",
        string.Create(CultureInfo.InvariantCulture, $"Must be no less than {threshold}."), Params("threshold", threshold));

    public static FieldError MaxLessEqual(object threshold) => new("validation_max_less_equal_than_required",
        string.Create(CultureInfo.InvariantCulture, $"Must be no greater than {threshold}."), Params("threshold", threshold));

    public static FieldError TooManyValues(int maxSelect) => new("validation_too_many_values",
        string.Create(CultureInfo.InvariantCulture, $"Select no more than {maxSelect}."), Params("maxSelect", maxSelect));

    public static FieldError Empty() => new("validation_empty", "Must be blank.");

    public static IReadOnlyDictionary<string, object?> Params(string key, object? value) =>
        new Dictionary<string, object?>(1) { [key] = value };
}
