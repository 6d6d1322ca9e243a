using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>Value handling shared by select, relation and file fields (single: string, multiple: list).</summary>
internal static class ListValues
{
    public static object Shape(IReadOnlyList<string> values, bool multiple)
    {
        if (multiple) return values.Count == 0 ? Array.Empty<string>() : values as IReadOnlyList<string> ?? [.. values];
        // A single-valued field keeps the last supplied value.
        return values.Count == 0 ? "" : values[^1];
    }

    public static bool TryNormalize(JsonNode? input, bool multiple, string invalidMessage, out object? value, out FieldError? error)
    {
        if (FieldValues.TryToStringList(input, out var list))
        {
            value = Shape(list, multiple);
            error = null;
            return true;
        }
        value = null;
        error = FieldErrors.InvalidValue(invalidMessage);
        return false;
    }

    /// <summary>"name+" appends, "+name" prepends, "name-" removes; the result is deduplicated.</summary>
    public static bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, bool multiple, string invalidMessage,
        out object? value, out FieldError? error)
    {
        value = current;
        error = null;
        if (modifier is not (FieldModifier.Append or FieldModifier.Prepend or FieldModifier.Remove)) return false;
        if (!FieldValues.TryToStringList(input, out var items))
        {
            error = FieldErrors.InvalidValue(invalidMessage);
            return true;
        }
        var existing = FieldValues.ToList(current);
        IEnumerable<string> result = modifier switch
        {
            FieldModifier.Append => existing.Concat(items),
            FieldModifier.Prepend => items.Concat(existing),
            _ => existing.Where(v => !items.Contains(v, StringComparer.Ordinal)),
        };
        value = Shape(FieldValues.Unique(result), multiple);
        return true;
    }
}
