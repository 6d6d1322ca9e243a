using System.Text;

namespace PaperGao.Core.Collections;

/// <summary>
/// Rewrites a view query when a collection it reads is renamed, so the view keeps working (as in PocketBase, where
/// SQLite's ALTER TABLE ... RENAME rewrites the views). A table reference is an identifier (quoted or not) equal to
/// the old name that follows FROM or JOIN, follows a comma of a FROM list, or qualifies a column ("name.column").
/// String literals, comments and column names are left alone; the new name is written in double quotes.
/// </summary>
public static class ViewQueryRename
{
    private enum Kind { Word, Quoted, Punct, Other }

    private readonly record struct Token(string Text, Kind Kind);

    /// <summary>The query with the table renamed, or the same string when it does not reference the table.</summary>
    public static string Rename(string query, string oldName, string newName)
    {
        if (query.IndexOf(oldName, StringComparison.OrdinalIgnoreCase) < 0) return query;
        var tokens = Tokenize(query);
        var sb = new StringBuilder(query.Length + 8);
        var changed = false;
        string? clause = null; // the last clause keyword seen: a comma after FROM separates tables
        Token? previous = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == Kind.Other) { sb.Append(t.Text); continue; }
            if (t.Kind is Kind.Word or Kind.Quoted && Unquote(t).Equals(oldName, StringComparison.OrdinalIgnoreCase) && IsTableReference(tokens, i, previous, clause))
            {
                sb.Append('"').Append(newName.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                changed = true;
            }
            else sb.Append(t.Text);
            if (t.Kind == Kind.Word && ClauseWords.Contains(t.Text)) clause = t.Text.ToUpperInvariant();
            previous = t;
        }
        return changed ? sb.ToString() : query;
    }

    private static readonly HashSet<string> ClauseWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "JOIN", "WHERE", "ON", "USING", "GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "WINDOW",
    };

    private static bool IsTableReference(List<Token> tokens, int i, Token? previous, string? clause)
    {
        var next = i + 1;
        while (next < tokens.Count && tokens[next].Kind == Kind.Other) next++;
        if (next < tokens.Count && tokens[next].Text == ".") return true;
        if (previous is not { } p) return false;
        if (p.Kind == Kind.Word && (p.Text.Equals("FROM", StringComparison.OrdinalIgnoreCase) || p.Text.Equals("JOIN", StringComparison.OrdinalIgnoreCase))) return true;
        return p.Text == "," && clause is "FROM" or "JOIN";
    }

    private static string Unquote(Token t) => t.Kind == Kind.Quoted ? t.Text[1..^1] : t.Text;

    private static List<Token> Tokenize(string q)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < q.Length)
        {
            var ch = q[i];
            int end;
            Kind kind;
            if (char.IsWhiteSpace(ch))
            {
                end = i + 1;
                while (end < q.Length && char.IsWhiteSpace(q[end])) end++;
                kind = Kind.Other;
            }
            else if (ch == '\'')
            {
                end = SkipQuoted(q, i, '\'');
                kind = Kind.Other;
            }
            else if (ch == '-' && i + 1 < q.Length && q[i + 1] == '-')
            {
                end = q.IndexOf('\n', i);
                end = end < 0 ? q.Length : end;
                kind = Kind.Other;
            }
            else if (ch == '/' && i + 1 < q.Length && q[i + 1] == '*')
            {
                end = q.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? q.Length : end + 2;
                kind = Kind.Other;
            }
            else if (ch is '"' or '`' or '[')
            {
                end = SkipQuoted(q, i, ch == '[' ? ']' : ch);
                kind = end - i >= 2 && q[end - 1] == (ch == '[' ? ']' : ch) ? Kind.Quoted : Kind.Other;
            }
            else if (IsWordChar(ch))
            {
                end = i + 1;
                while (end < q.Length && IsWordChar(q[end])) end++;
                kind = Kind.Word;
            }
            else
            {
                end = i + 1;
                kind = Kind.Punct;
            }
            tokens.Add(new Token(q[i..end], kind));
            i = end;
        }
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    /// <summary>The index just past the closing quote (a doubled quote is an escaped one), or the end of the text.</summary>
    private static int SkipQuoted(string s, int start, char close)
    {
        var i = start + 1;
        while (i < s.Length)
        {
            if (s[i] == close)
            {
                if (close != ']' && i + 1 < s.Length && s[i + 1] == close) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return s.Length;
    }
}
