using System.Text;
using PaperGao.Core.Common;

namespace PaperGao.Core.Files;

/// <summary>
/// Stored file names as PocketBase makes them: the snake-cased base name (at most 100 characters, padded with random
/// characters when shorter than 3), "_", 10 random [a-z0-9], and the lowercased extension (at most 20 characters,
/// taken from the content type when the original has none). Any directory part of the original is dropped, so
/// a submitted name can never point elsewhere.
/// </summary>
public static class FileNames
{
    public const int MaxBaseLength = 100;
    public const int MaxExtensionLength = 20;

    public static string Normalize(string original, string contentType)
    {
        var name = original.Replace('\0', ' ');
        var slash = name.LastIndexOfAny(['/', '\\']);
        if (slash >= 0) name = name[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, ext) = dot > 0 ? (name[..dot], name[dot..]) : (name, "");
        var cleanExt = CleanExtension(ext);
        if (cleanExt.Length == 0) cleanExt = ContentSniffer.ExtensionFor(contentType);
        var snake = Snake(stem);
        if (snake.Length > MaxBaseLength) snake = snake[..MaxBaseLength].TrimEnd('_');
        if (snake.Length < 3) snake += RandomString.LowerAlphanumeric(10);
        return snake + "_" + RandomString.LowerAlphanumeric(10) + cleanExt;
    }

    private static string CleanExtension(string ext)
    {
        if (ext.Length < 2) return "";
        var sb = new StringBuilder(".");
        foreach (var c in ext.AsSpan(1))
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.Length is > 1 and <= MaxExtensionLength + 1 ? sb.ToString() : "";
    }

    /// <summary>"Report 1" → "report_1", "fooBar" → "foo_bar"; anything but ASCII letters and digits separates words.</summary>
    private static string Snake(string s)
    {
        var sb = new StringBuilder(s.Length + 8);
        var prevLower = false;
        foreach (var c in s)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (char.IsAsciiLetterUpper(c) && prevLower) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
                prevLower = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
            }
            else
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                prevLower = false;
            }
        }
        return sb.ToString().Trim('_');
    }
}
