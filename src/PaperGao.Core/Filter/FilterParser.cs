using System.Collections.Concurrent;
using System.Globalization;
using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Filter;

/// <summary>
/// Parses the fexpr grammar (protocol.md §3.1) into an AST. &amp;&amp; binds tighter than ||; parentheses group.
/// Results are cached (bounded) because the same rules and filters repeat on every request.
/// </summary>
public sealed class FilterParser
{
    private static readonly ConcurrentDictionary<string, FilterExpr> Cache = new(StringComparer.Ordinal);

    private readonly List<FilterToken> _tokens;
    private int _pos;
    private int _groupDepth;
    private int _comparisons;

    private FilterParser(List<FilterToken> tokens) => _tokens = tokens;

    /// <summary>Parses with the shared cache.</summary>
    public static FilterExpr Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (Cache.TryGetValue(filter, out var cached)) return cached;
        var parsed = ParseUncached(filter);
        if (Cache.Count >= FilterLimits.ParseCacheSize) Cache.Clear();
        Cache.TryAdd(filter, parsed);
        return parsed;
    }

    /// <summary>Parses without touching the cache.</summary>
    public static FilterExpr ParseUncached(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length > FilterLimits.MaxFilterLength)
            throw new FilterException($"filter expression is too long ({filter.Length} characters, max {FilterLimits.MaxFilterLength})");
        var nul = filter.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0) throw new FilterException($"unexpected character '\\u0000' at position {nul}");
        var tokens = FilterLexer.Tokenize(filter);
        if (tokens.Count == 1) throw new FilterException("empty filter expression");
        var p = new FilterParser(tokens);
        var expr = p.ParseOr();
        var t = p.Peek;
        if (t.Kind != FilterTokenKind.End)
        {
            throw t.Kind == FilterTokenKind.RParen
                ? new FilterException($"unbalanced parenthesis ')' at position {t.Position}")
                : Unexpected(t);
        }
        return expr;
    }

    internal static int CacheCount => Cache.Count;

    private FilterToken Peek => _tokens[_pos];

    private FilterToken Next() => _tokens[_pos++];

    private FilterExpr ParseOr()
    {
        var first = ParseAnd();
        if (Peek.Kind != FilterTokenKind.Or) return first;
        var items = new List<FilterExpr> { first };
        while (Peek.Kind == FilterTokenKind.Or)
        {
            Next();
            items.Add(ParseAnd());
        }
        return new OrExpr(items);
    }

    private FilterExpr ParseAnd()
    {
        var first = ParsePrimary();
        if (Peek.Kind != FilterTokenKind.And) return first;
        var items = new List<FilterExpr> { first };
        while (Peek.Kind == FilterTokenKind.And)
        {
            Next();
            items.Add(ParsePrimary());
        }
        return new AndExpr(items);
    }

    private FilterExpr ParsePrimary()
    {
        var t = Peek;
        if (t.Kind == FilterTokenKind.LParen)
        {
            Next();
            if (++_groupDepth > FilterLimits.MaxGroupDepth)
                throw new FilterException($"too deeply nested parentheses at position {t.Position} (max {FilterLimits.MaxGroupDepth})");
            if (Peek.Kind == FilterTokenKind.RParen) throw new FilterException($"empty group at position {t.Position}");
            var inner = ParseOr();
            var close = Peek;
            if (close.Kind != FilterTokenKind.RParen)
            {
                throw close.Kind == FilterTokenKind.End
                    ? new FilterException($"unbalanced parenthesis '(' at position {t.Position}")
                    : Unexpected(close);
            }
            Next();
            _groupDepth--;
            return inner;
        }
        return ParseComparison();
    }

    private ComparisonExpr ParseComparison()
    {
        var start = Peek;
        var left = ParseOperand(0);
        var sign = Peek;
        if (sign.Kind != FilterTokenKind.Sign)
        {
            throw sign.Kind == FilterTokenKind.End
                ? new FilterException($"invalid or incomplete filter expression: missing operator after position {start.Position}")
                : Unexpected(sign);
        }
        Next();
        SignOps.TryParse(sign.Value, out var op);
        if (Peek.Kind == FilterTokenKind.End)
            throw new FilterException($"invalid or incomplete filter expression: missing right operand after position {sign.Position}");
        var right = ParseOperand(0);
        if (++_comparisons > FilterLimits.MaxExpressions)
            throw new FilterException($"too many expressions (max {FilterLimits.MaxExpressions}) at position {start.Position}");
        return new ComparisonExpr(left, op, right, start.Position);
    }

    private Operand ParseOperand(int functionDepth)
    {
        var t = Next();
        switch (t.Kind)
        {
            case FilterTokenKind.Identifier:
                return new IdentifierOperand(t.Value, t.Position);
            case FilterTokenKind.Text:
                return new TextOperand(t.Value, t.Position);
            case FilterTokenKind.Number:
                return new NumberOperand(double.Parse(t.Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), t.Value, t.Position);
            case FilterTokenKind.FunctionStart:
                return ParseFunction(t, functionDepth + 1);
            case FilterTokenKind.End:
                throw new FilterException($"invalid or incomplete filter expression at position {t.Position}");
            default:
                _pos--;
                throw Unexpected(t);
        }
    }

    private FunctionOperand ParseFunction(FilterToken name, int depth)
    {
        if (depth > FilterLimits.MaxFunctionDepth)
            throw new FilterException($"too deeply nested function calls at position {name.Position} (max {FilterLimits.MaxFunctionDepth})");
        var args = new List<Operand>();
        while (true)
        {
            var t = Peek;
            if (t.Kind == FilterTokenKind.RParen) { Next(); break; }
            if (t.Kind == FilterTokenKind.End)
                throw new FilterException($"unbalanced parenthesis: function '{name.Value}' at position {name.Position} is not closed");
            if (t.Kind is not (FilterTokenKind.Identifier or FilterTokenKind.Text or FilterTokenKind.Number or FilterTokenKind.FunctionStart))
                throw Unexpected(t);
            args.Add(ParseOperand(depth));
            if (args.Count > FilterLimits.MaxFunctionArgs)
                throw new FilterException($"too many arguments for function '{name.Value}' at position {name.Position}");
            var sep = Peek;
            if (sep.Kind == FilterTokenKind.Comma) { Next(); continue; }
            if (sep.Kind == FilterTokenKind.RParen) { Next(); break; }
            if (sep.Kind == FilterTokenKind.End)
                throw new FilterException($"unbalanced parenthesis: function '{name.Value}' at position {name.Position} is not closed");
            throw Unexpected(sep);
        }
        return new FunctionOperand(name.Value, args, name.Position);
    }

    private static FilterException Unexpected(FilterToken t) => t.Kind switch
    {
        FilterTokenKind.End => new FilterException($"invalid or incomplete filter expression at position {t.Position}"),
        FilterTokenKind.Text => new FilterException($"unexpected text literal at position {t.Position}"),
        FilterTokenKind.FunctionStart => new FilterException($"unexpected function '{t.Value}' at position {t.Position}"),
        _ => new FilterException($"unexpected '{t.Value}' at position {t.Position}"),
    };
}
