using System.Globalization;

namespace PaperGao.Core.Filter;

internal static class FilterValues
{
    /// <summary>Numeric text as SQLite's numeric affinity would read it (decimal, optional sign/exponent, surrounding spaces).</summary>
    public static bool TryParseNumber(string s, out double value)
    {
        value = 0;
        var t = s.Trim(' ', '\t', '\n', '\r');
        if (t.Length == 0 || t.Length > 400) return false;
        foreach (var c in t)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or '-' or '+' or 'e' or 'E')) return false;
        }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>The value to bind for a number: a long when integral (so "5" and 5 compare as texts "5"), else a double.</summary>
    public static object NumberValue(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9e15 ? (long)d : d;

    public static string FormatNumber(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString("R", CultureInfo.InvariantCulture);

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
    ];

    /// <summary>A time text both databases read the same way ('now' or a valid UTC date/datetime); anything else becomes NULL.</summary>
    public static bool IsValidTimeText(string s)
    {
        if (s == "now") return true;
        var t = s.EndsWith('Z') ? s[..^1] : s;
        return DateTime.TryParseExact(t, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dt) && dt.Year >= 1;
    }
}
