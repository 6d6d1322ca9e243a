using System.Globalization;
using System.Text.RegularExpressions;

namespace PaperGao.Core.Files;

/// <summary>
/// A thumbnail size (protocol.md §7.1): "WxH" fill and crop from the center, "WxHt" crop from the top, "WxHb" from
/// the bottom, "WxHf" fit inside without cropping, "0xH" / "Wx0" resize keeping the aspect ratio.
/// </summary>
public sealed partial record ThumbSize(int Width, int Height, char Mode)
{
    /// <summary>The largest side a thumbnail may have, whatever the field lists.</summary>
    public const int MaxSide = 4096;

    /// <summary>The size every image file field allows besides its own list.</summary>
    public const string Default = "100x100";

    public static ThumbSize? Parse(string s)
    {
        var m = Pattern().Match(s);
        if (!m.Success) return null;
        if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var w) ||
            !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return null;
        if ((w == 0 && h == 0) || w > MaxSide || h > MaxSide) return null;
        var mode = m.Groups[3].Success ? m.Groups[3].Value[0] : ' ';
        if (mode != ' ' && (w == 0 || h == 0)) return null;
        return new ThumbSize(w, h, mode);
    }

    [GeneratedRegex(@"^([0-9]{1,5})x([0-9]{1,5})(t|b|f)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
