using System.Globalization;
using System.Text;

namespace PaperGao.Core.TypeGen;

/// <summary>String literals and comments for generated code: nothing from a schema can end a literal or a comment early.</summary>
public static class TypeGenText
{
    /// <summary>A double-quoted literal valid in TypeScript and C# (regular, not verbatim) alike.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(ch) || ch is '\u2028' or '\u2029' || char.IsSurrogate(ch))
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>One line of comment text: no line breaks, no "*/", no XML markup.</summary>
    public static string Comment(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            if (char.IsControl(ch) || ch is '\u2028' or '\u2029') sb.Append(' ');
            else if (ch is '<') sb.Append("&lt;");
            else if (ch is '>') sb.Append("&gt;");
            else if (ch is '&') sb.Append("&amp;");
            else sb.Append(ch);
        }
        return sb.ToString().Replace("*/", "* /", StringComparison.Ordinal).Trim();
    }
}
