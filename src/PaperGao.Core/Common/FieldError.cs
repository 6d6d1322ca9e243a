namespace PaperGao.Core.Common;

/// <summary>One validation failure: a stable code (validation_*), a sentence and optional params.</summary>
public sealed record FieldError(string Code, string Message, IReadOnlyDictionary<string, object?>? Params = null)
{
    public static FieldError Required() => new("validation_required", "Cannot be blank.");
}
