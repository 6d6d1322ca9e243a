using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Api.Infrastructure;

/// <summary>Reads the plain fields of small request bodies (auth flows): type and length checked, errors per field.</summary>
public static class BodyFields
{
    /// <summary>A string field; a missing or empty required one is validation_required, a non-string validation_invalid_value.</summary>
    public static string Str(JsonObject body, string key, ErrorData errors, bool required, int max = 255)
    {
        var node = body[key];
        var s = "";
        if (node is not null && (node is not JsonValue v || !v.TryGetValue(out s!)))
        {
            errors.Add(key, new FieldError("validation_invalid_value", "Must be a string."));
            return "";
        }
        s ??= "";
        if (required && s.Length == 0) errors.Add(key, FieldError.Required());
        else if (s.Length > max) errors.Add(key, new FieldError("validation_length_out_of_range", $"The length must be between 1 and {max}."));
        return s;
    }
}
