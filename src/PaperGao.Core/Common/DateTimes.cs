using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperGao.Core.Common;

/// <summary>
/// The datetime string format of the wire protocol (§1.6): UTC "YYYY-MM-DD HH:MM:SS.sssZ", "" for no date.
/// Dates are stored and compared as these strings, so every value must go through <see cref="TryNormalize"/>.
/// </summary>
public static partial class DateTimes
{
    public const string Layout = "yyyy-MM-dd HH:mm:ss.fff'Z'";

    /// <summary>The current UTC time of <paramref name="clock"/> (the server's TimeProvider) in the storage layout.</summary>
    public static string Now(TimeProvider clock) => Format(clock.GetUtcNow());

    /// <summary>Formats a moment in the storage layout (converted to UTC, sub-millisecond digits truncated).</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Layout, CultureInfo.InvariantCulture);

    /// <summary>
    /// Accepts the storage layout, RFC 3339 / ISO 8601 variants ("T" or space separator, optional seconds and
    /// fraction, "Z", "+hh:mm", "+hhmm", "+hh" or no zone = UTC) and a bare "YYYY-MM-DD" (midnight UTC).
    /// The empty string (also whitespace only) normalizes to "". Anything else is refused.
    /// </summary>
    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = "";
        if (input is null) return true;
        var s = input.Trim();
        if (s.Length == 0) return true;
        if (!TryParse(s, out var moment)) return false;
        normalized = Format(moment);
        return true;
    }

    /// <summary>Parses any accepted input layout (see <see cref="TryNormalize"/>) into a UTC moment.</summary>
    public static bool TryParse(string? input, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var m = Pattern().Match(input.Trim());
        if (!m.Success) return false;
        try
        {
            var year = Int(m.Groups["y"]);
            var month = Int(m.Groups["mo"]);
            var day = Int(m.Groups["d"]);
            var hour = m.Groups["h"].Success ? Int(m.Groups["h"]) : 0;
            var minute = m.Groups["mi"].Success ? Int(m.Groups["mi"]) : 0;
            var second = m.Groups["s"].Success ? Int(m.Groups["s"]) : 0;
            long ticks = 0;
            if (m.Groups["f"].Success)
            {
                // Up to 7 digits are representable (100 ns ticks); extra digits are truncated.
                var f = m.Groups["f"].Value;
                f = f.Length > 7 ? f[..7] : f.PadRight(7, '0');
                ticks = long.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            var offset = TimeSpan.Zero;
            if (m.Groups["z"].Success && m.Groups["z"].Value is not ("Z" or "z"))
            {
                var z = m.Groups["z"].Value.Replace(":", "", StringComparison.Ordinal);
                var sign = z[0] == '-' ? -1 : 1;
                var oh = int.Parse(z.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture);
                var om = z.Length >= 5 ? int.Parse(z.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture) : 0;
                if (oh > 23 || om > 59) return false;
                offset = sign * new TimeSpan(oh, om, 0);
            }
            if (hour == 24 || second == 60) return false;
            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
            value = new DateTimeOffset(local, offset).ToUniversalTime();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static int Int(Group g) => int.Parse(g.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:[Tt ](?<h>[0-9]{2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]{1,9}))?)?)?[ ]?(?<z>[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
