namespace PaperGao.Core.Filter;

/// <summary>
/// A filter, rule or sort that cannot be parsed or resolved. The API answers 400 with the generic message,
/// or 403 when <see cref="Forbidden"/> is set (a non-superuser used @request./@collection. in a client filter).
/// </summary>
public sealed class FilterException(string message, bool forbidden = false, int? position = null) : Exception(message)
{
    public bool Forbidden { get; } = forbidden;

    /// <summary>
    /// The 0-based offset in the filter text of the operand an error of resolution is about (an unknown field, a bad
    /// modifier, an unknown collection or @request field), also named in the message as "at position N". Syntax errors
    /// name their position in the message only; forbidden errors name none (PocketBase's exact message).
    /// </summary>
    public int? Position { get; } = position;

    /// <summary>This error named at <paramref name="position"/>, unless it is forbidden or already has a position.</summary>
    internal FilterException At(int position) =>
        Forbidden || Position is not null ? this : new FilterException($"{Message} at position {position}", forbidden: false, position);
}
