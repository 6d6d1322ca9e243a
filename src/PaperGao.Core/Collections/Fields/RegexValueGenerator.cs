using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// Generates a random string matching a simple regular expression (used by text fields' autogeneratePattern,
/// e.g. "[a-z0-9]{15}"). Supported: literals and escaped literals, ".", character classes with ranges and
/// negation, \d \w \s (and their negations), groups "(...)" / "(?:...)" with alternation "|", quantifiers
/// {n}, {n,}, {n,m}, ?, +, * (lazy suffix "?" accepted), anchors ^ and $ (ignored).
/// Open-ended quantifiers repeat at most <see cref="OpenRepeat"/> times beyond their minimum.
/// Randomness comes from <see cref="RandomNumberGenerator"/>.
/// </summary>
public static class RegexValueGenerator
{
    /// <summary>Extra repetitions allowed for *, + and {n,}.</summary>
    public const int OpenRepeat = 10;

    /// <summary>The largest repeat count accepted (guards against huge outputs).</summary>
    public const int MaxRepeat = 10_000;

    private const int MaxLength = 1_000_000;

    /// <summary>The id pattern every collection uses: generated without parsing (the create hot path).</summary>
    private const string IdPattern = "[a-z0-9]{15}";

    /// <summary>Generates a value; throws <see cref="FormatException"/> when the pattern is not supported.</summary>
    public static string Generate(string pattern)
    {
        var node = new Parser(pattern).ParseAll();
        var sb = new StringBuilder();
        node.Emit(sb);
        return sb.ToString();
    }

    public static bool TryGenerate(string pattern, out string value, out string? error)
    {
        if (pattern == IdPattern)
        {
            value = Common.RandomString.LowerAlphanumeric(15);
            error = null;
            return true;
        }
        try
        {
            value = Generate(pattern);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            value = "";
            error = e.Message;
            return false;
        }
    }

    private static int Random(int exclusiveMax) => exclusiveMax <= 1 ? 0 : RandomNumberGenerator.GetInt32(exclusiveMax);

    private abstract class Node
    {
        public abstract void Emit(StringBuilder sb);
    }

    private sealed class Literal(char c) : Node
    {
        public override void Emit(StringBuilder sb) => sb.Append(c);
    }

    private sealed class CharSet(char[] chars) : Node
    {
        public override void Emit(StringBuilder sb) => sb.Append(chars[Random(chars.Length)]);
    }

    private sealed class Sequence(List<Node> items) : Node
    {
        public override void Emit(StringBuilder sb)
        {
            foreach (var n in items) n.Emit(sb);
        }
    }

    private sealed class Alternation(List<Node> options) : Node
    {
        public override void Emit(StringBuilder sb) => options[Random(options.Count)].Emit(sb);
    }

    private sealed class Repeat(Node inner, int min, int max) : Node
    {
        public override void Emit(StringBuilder sb)
        {
            var count = min + Random(max - min + 1);
            for (var i = 0; i < count; i++)
            {
                inner.Emit(sb);
                if (sb.Length > MaxLength) throw new FormatException("The pattern generates a too long value.");
            }
        }
    }

    private sealed class Parser(string pattern)
    {
        private int _pos;

        private static readonly char[] Printable = Range(' ', '~');
        private static readonly char[] Digits = Range('0', '9');
        private static readonly char[] Word = [.. Range('a', 'z'), .. Range('A', 'Z'), .. Digits, '_'];
        private static readonly char[] Space = [' '];

        public Node ParseAll()
        {
            var node = ParseAlternation();
            if (_pos < pattern.Length) throw Error($"unexpected '{pattern[_pos]}'");
            return node;
        }

        private FormatException Error(string what) =>
            new(string.Create(CultureInfo.InvariantCulture, $"Unsupported pattern at position {_pos}: {what}."));

        private bool More => _pos < pattern.Length;

        private Node ParseAlternation()
        {
            var options = new List<Node> { ParseSequence() };
            while (More && pattern[_pos] == '|')
            {
                _pos++;
                options.Add(ParseSequence());
            }
            return options.Count == 1 ? options[0] : new Alternation(options);
        }

        private Node ParseSequence()
        {
            var items = new List<Node>();
            while (More && pattern[_pos] is not ('|' or ')'))
            {
                var atom = ParseAtom();
                if (atom is null) continue;
                items.Add(ParseQuantifier(atom));
            }
            return items.Count == 1 ? items[0] : new Sequence(items);
        }

        private Node? ParseAtom()
        {
            var c = pattern[_pos++];
            switch (c)
            {
                case '^':
                case '$':
                    return null;
                case '.':
                    return new CharSet(Printable);
                case '(':
                    if (More && pattern[_pos] == '?')
                    {
                        if (_pos + 1 < pattern.Length && pattern[_pos + 1] == ':') _pos += 2;
                        else throw Error("only (?:...) groups are supported");
                    }
                    var inner = ParseAlternation();
                    if (!More || pattern[_pos] != ')') throw Error("missing ')'");
                    _pos++;
                    return inner;
                case '[':
                    return ParseClass();
                case '\\':
                    var escaped = ParseEscape(inClass: false);
                    return escaped.Length == 0 ? null : new CharSet(escaped);
                case '*':
                case '+':
                case '?':
                    throw Error($"nothing to repeat with '{c}'");
                case '{':
                    // A '{' that does not start a quantifier is a literal (as in most engines).
                    return new Literal(c);
                default:
                    return new Literal(c);
            }
        }

        private Node ParseQuantifier(Node atom)
        {
            if (!More) return atom;
            int min, max;
            switch (pattern[_pos])
            {
                case '*': _pos++; min = 0; max = OpenRepeat; break;
                case '+': _pos++; min = 1; max = 1 + OpenRepeat; break;
                case '?': _pos++; min = 0; max = 1; break;
                case '{':
                    if (!TryParseBraces(out min, out max)) return atom;
                    break;
                default:
                    return atom;
            }
            if (More && pattern[_pos] == '?') _pos++; // lazy: same set of values
            if (More && pattern[_pos] is '*' or '+' or '{' && IsQuantifierStart()) throw Error("nested quantifier");
            return new Repeat(atom, min, max);
        }

        private bool IsQuantifierStart()
        {
            if (pattern[_pos] != '{') return true;
            var save = _pos;
            var ok = TryParseBraces(out _, out _);
            _pos = save;
            return ok;
        }

        private bool TryParseBraces(out int min, out int max)
        {
            min = max = 0;
            var end = pattern.IndexOf('}', _pos);
            if (end < 0) return false;
            var body = pattern.AsSpan(_pos + 1, end - _pos - 1);
            var comma = body.IndexOf(',');
            var first = comma < 0 ? body : body[..comma];
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
            if (comma < 0) max = min;
            else if (comma == body.Length - 1) max = min + OpenRepeat;
            else if (!int.TryParse(body[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out max)) return false;
            if (max < min) throw Error("invalid repeat range");
            if (max > MaxRepeat) throw Error("repeat count too large");
            _pos = end + 1;
            return true;
        }

        /// <summary>Reads the escape after a backslash: a class shorthand or an escaped literal.</summary>
        private char[] ParseEscape(bool inClass)
        {
            if (!More) throw Error("trailing backslash");
            var c = pattern[_pos++];
            return c switch
            {
                'd' => Digits,
                'w' => Word,
                's' => Space,
                'D' => Except(Digits),
                'W' => Except(Word),
                'S' => Except(Space),
                'n' => ['\n'],
                't' => ['\t'],
                'r' => ['\r'],
                'b' or 'B' or 'A' or 'z' when !inClass => [],
                _ when char.IsAsciiLetterOrDigit(c) => throw Error($"unsupported escape \\{c}"),
                _ => [c],
            };
        }

        private CharSet ParseClass()
        {
            var negate = More && pattern[_pos] == '^';
            if (negate) _pos++;
            var set = new HashSet<char>();
            var first = true;
            while (true)
            {
                if (!More) throw Error("missing ']'");
                var c = pattern[_pos];
                if (c == ']' && !first) { _pos++; break; }
                first = false;
                _pos++;
                char lo;
                if (c == '\\')
                {
                    var esc = ParseEscape(inClass: true);
                    if (esc.Length != 1) { set.UnionWith(esc); continue; }
                    lo = esc[0];
                }
                else if (c == '[' && More && pattern[_pos] == ':')
                {
                    throw Error("POSIX classes are not supported");
                }
                else lo = c;

                // A range "lo-hi" unless '-' is the last char of the class.
                if (_pos + 1 < pattern.Length && pattern[_pos] == '-' && pattern[_pos + 1] != ']')
                {
                    _pos++;
                    var hc = pattern[_pos++];
                    char hi;
                    if (hc == '\\')
                    {
                        var esc = ParseEscape(inClass: true);
                        if (esc.Length != 1) throw Error("invalid range");
                        hi = esc[0];
                    }
                    else hi = hc;
                    if (hi < lo) throw Error("invalid range");
                    for (var ch = lo; ; ch++)
                    {
                        set.Add(ch);
                        if (ch == hi) break;
                    }
                }
                else set.Add(lo);
            }
            var chars = negate ? Except([.. set]) : [.. set.Order()];
            if (chars.Length == 0) throw Error("empty character class");
            return new CharSet(chars);
        }

        private static char[] Range(char lo, char hi)
        {
            var r = new char[hi - lo + 1];
            for (var i = 0; i < r.Length; i++) r[i] = (char)(lo + i);
            return r;
        }

        private static char[] Except(char[] excluded) => [.. Printable.Where(c => Array.IndexOf(excluded, c) < 0)];
    }
}
