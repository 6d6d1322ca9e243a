using System.Globalization;
using System.Text;

namespace PaperGao.Core.Filter;

public enum FilterTokenKind
{
    Identifier,
    /// <summary>An identifier immediately followed by "(": the token covers the name; the "(" is consumed.</summary>
    FunctionStart,
    Number,
    Text,
    Sign,
    And,
    Or,
    LParen,
    RParen,
    Comma,
    End,
}

/// <summary>A token with its 0-based character position in the filter string.</summary>
public readonly record struct FilterToken(FilterTokenKind Kind, string Value, int Position);

/// <summary>
/// The fexpr scanner (protocol.md §3.1). Produces tokens; whitespace (space, tab, \n, \r) and // comments are dropped.
/// Every error names the character position (0-based).
/// </summary>
public static class FilterLexer
{
    private const string SignChars = "=?!><~";

    public static List<FilterToken> Tokenize(string input)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (c is ' ' or '\t' or '\n' or '\r') { i++; continue; }
            if (c == '/' && i + 1 < input.Length && input[i + 1] == '/')
            {
                while (i < input.Length && input[i] != '\n') i++;
                continue;
            }
            var start = i;
            if (IsIdentStart(c))
            {
                i++;
                while (i < input.Length && IsIdentPart(input[i])) i++;
                var name = input[start..i];
                if (name is "@" or "_" or "#")
                    throw new FilterException($"invalid identifier '{name}' at position {start}");
                if (name[^1] is '.' or ':')
                    throw new FilterException($"invalid identifier '{Shorten(name)}' at position {start}: must not end with '{name[^1]}'");
                if (i < input.Length && input[i] == '(')
                {
                    i++;
                    tokens.Add(new(FilterTokenKind.FunctionStart, name, start));
                }
                else
                {
                    tokens.Add(new(FilterTokenKind.Identifier, name, start));
                }
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < input.Length && char.IsAsciiDigit(input[i + 1])))
            {
                i++;
                var dots = 0;
                while (i < input.Length && (char.IsAsciiDigit(input[i]) || input[i] == '.'))
                {
                    if (input[i] == '.') dots++;
                    i++;
                }
                var raw = input[start..i];
                if (dots > 1 || raw[^1] == '.')
                    throw new FilterException($"invalid number '{Shorten(raw)}' at position {start}");
                if (!double.TryParse(raw, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                    throw new FilterException($"invalid number '{Shorten(raw)}' at position {start}");
                tokens.Add(new(FilterTokenKind.Number, raw, start));
                continue;
            }
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                i++;
                var closed = false;
                while (i < input.Length)
                {
                    var ch = input[i];
                    if (ch == '\\' && i + 1 < input.Length && input[i + 1] == c)
                    {
                        sb.Append(c);
                        i += 2;
                        continue;
                    }
                    if (ch == c) { closed = true; i++; break; }
                    sb.Append(ch);
                    i++;
                }
                if (!closed) throw new FilterException($"unterminated quoted text starting at position {start}");
                tokens.Add(new(FilterTokenKind.Text, sb.ToString(), start));
                continue;
            }
            if (SignChars.Contains(c, StringComparison.Ordinal))
            {
                while (i < input.Length && SignChars.Contains(input[i], StringComparison.Ordinal)) i++;
                var sign = input[start..i];
                if (!Ast.SignOps.TryParse(sign, out _))
                    throw new FilterException($"invalid operator '{Shorten(sign)}' at position {start}");
                tokens.Add(new(FilterTokenKind.Sign, sign, start));
                continue;
            }
            if (c == '&' || c == '|')
            {
                if (i + 1 < input.Length && input[i + 1] == c && (i + 2 >= input.Length || (input[i + 2] != '&' && input[i + 2] != '|')))
                {
                    tokens.Add(new(c == '&' ? FilterTokenKind.And : FilterTokenKind.Or, c == '&' ? "&&" : "||", start));
                    i += 2;
                    continue;
                }
                throw new FilterException($"invalid join operator at position {start}");
            }
            switch (c)
            {
                case '(': tokens.Add(new(FilterTokenKind.LParen, "(", start)); i++; continue;
                case ')': tokens.Add(new(FilterTokenKind.RParen, ")", start)); i++; continue;
                case ',': tokens.Add(new(FilterTokenKind.Comma, ",", start)); i++; continue;
            }
            throw new FilterException($"unexpected character {Describe(c)} at position {start}");
        }
        tokens.Add(new(FilterTokenKind.End, "", input.Length));
        return tokens;
    }

    public static bool IsIdentStart(char c) => char.IsAsciiLetter(c) || c is '_' or '@' or '#';

    public static bool IsIdentPart(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':';

    /// <summary>True when the whole string is exactly one valid identifier token.</summary>
    public static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !IsIdentStart(s[0]) || s is "@" or "_" or "#" || s[^1] is '.' or ':') return false;
        foreach (var c in s) if (!IsIdentPart(c) && c != '@' && c != '#') return false;
        for (var i = 1; i < s.Length; i++) if (s[i] is '@' or '#') return false;
        return true;
    }

    private static string Describe(char c)
    {
        if (char.IsControl(c) || char.IsSurrogate(c) || c > '\u007e')
            return $"'\\u{(int)c:X4}'";
        return $"'{c}'";
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
