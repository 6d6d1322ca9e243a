using PaperGao.Core.Common;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>Validation errors as "path: message" lines, for a command-line report.</summary>
public static class ErrorText
{
    public static IEnumerable<string> Lines(ErrorData errors, string prefix = "")
    {
        foreach (var (key, value) in errors.Items)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value is ErrorData nested)
            {
                foreach (var line in Lines(nested, path)) yield return line;
            }
            else
            {
                yield return $"{path}: {(value is FieldError fe ? fe.Message : value)}";
            }
        }
    }

    public static string Describe(ErrorData errors) => string.Join("; ", Lines(errors));
}
