using System.Text.RegularExpressions;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// Holds the compiled form of one field's pattern option, recompiled when the pattern string changes.
/// Shared by clones (compiled regexes are immutable and thread-safe).
/// </summary>
internal sealed class PatternCache
{
    private sealed record Entry(string Pattern, Regex? Regex);

    private Entry? _entry;

    /// <summary>True when the value matches (an invalid pattern matches nothing).</summary>
    public bool IsMatch(string pattern, string value)
    {
        var e = _entry;
        if (e is null || !ReferenceEquals(e.Pattern, pattern) && e.Pattern != pattern)
        {
            e = new Entry(pattern, FieldValues.TryCompile(pattern));
            _entry = e;
        }
        return e.Regex?.IsMatch(value) ?? false;
    }
}
