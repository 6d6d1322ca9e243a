namespace PaperGao.Core.Filter;

/// <summary>
/// A filter, rule or sort that cannot be parsed or resolved. The API answers 400 with the generic message,
/// or 403 when <see cref="Forbidden"/> is set (a non-superuser used @request./@collection. in a client filter).
/// </summary>
public sealed class FilterException(string message, bool forbidden = false) : Exception(message)
{
    public bool Forbidden { get; } = forbidden;
}
