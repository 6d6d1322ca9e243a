using System.Text;
using PaperGao.Core.Data;
using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Filter;

/// <summary>Comparisons: operator semantics of protocol.md §3.3/§3.4 with type-correct SQL for both dialects.</summary>
internal sealed partial class SqlExprCompiler
{
    private const string TrueSql = "1=1";
    private const string FalseSql = "1=0";

    public string CompileExpr(FilterExpr expr, QueryScope scope) => expr switch
    {
        AndExpr and => "(" + string.Join(" AND ", and.Items.Select(i => CompileExpr(i, scope))) + ")",
        OrExpr or => "(" + string.Join(" OR ", or.Items.Select(i => CompileExpr(i, scope))) + ")",
        ComparisonExpr c => CompileComparison(c, scope),
        _ => throw new FilterException("invalid expression"),
    };

    public string CompileComparison(ComparisonExpr c, QueryScope scope)
    {
        var l = Resolve(c.Left, scope);
        var r = Resolve(c.Right, scope);
        if (l.StaticItems is not null || r.StaticItems is not null) return CompileStatic(l, c.Op, r);
        var core = WithGuards(Core(l, c.Op, r), l, r);
        if (c.Op.IsAny() || !(l.NeedsAll || r.NeedsAll)) return core;
        // match-all: at least one joined value satisfies it (shared row) and no value of a fresh copy fails it
        var iso = NewIsolated();
        var li = Resolve(c.Left, iso);
        var ri = Resolve(c.Right, iso);
        var coreIso = WithGuards(Core(li, c.Op, ri), li, ri);
        return $"({core} AND NOT EXISTS (SELECT 1 FROM {iso.From()} WHERE NOT ({coreIso})))";
    }

    private string CompileStatic(Resolved l, SignOp op, Resolved r)
    {
        IReadOnlyList<Resolved> ls = l.StaticItems is { } a ? (a.Count == 0 ? [Resolved.Null] : a) : [l];
        IReadOnlyList<Resolved> rs = r.StaticItems is { } b ? (b.Count == 0 ? [Resolved.Null] : b) : [r];
        var parts = new List<string>();
        foreach (var x in ls)
            foreach (var y in rs)
                parts.Add(WithGuards(Core(x, op, y), x, y));
        return parts.Count == 1 ? parts[0] : "(" + string.Join(op.IsAny() ? " OR " : " AND ", parts) + ")";
    }

    private static string WithGuards(string core, Resolved l, Resolved r)
    {
        if (l.Guard is null && r.Guard is null) return core;
        var sb = new StringBuilder("(").Append(core);
        if (l.Guard is not null) sb.Append(" AND ").Append(l.Guard);
        if (r.Guard is not null && r.Guard != l.Guard) sb.Append(" AND ").Append(r.Guard);
        return sb.Append(')').ToString();
    }

    private string Core(Resolved a, SignOp op, Resolved b) => op.Base() switch
    {
        SignOp.Eq => Equality(a, b, neq: false),
        SignOp.Neq => Equality(a, b, neq: true),
        SignOp.Like => Like(a, b, not: false),
        SignOp.NotLike => Like(a, b, not: true),
        var o => Ordering(a, o, b),
    };

    private static string OpSql(SignOp op) => op switch
    {
        SignOp.Lt => "<",
        SignOp.Lte => "<=",
        SignOp.Gt => ">",
        _ => ">=",
    };

    // ---- equality ----

    private string Equality(Resolved a, Resolved b, bool neq)
    {
        if (a.IsEmptyLiteral || b.IsEmptyLiteral)
        {
            var other = a.IsEmptyLiteral ? b : a;
            if (other.IsLiteral)
            {
                var equal = other.IsEmptyLiteral;
                return equal != neq ? TrueSql : FalseSql;
            }
            if (other.Type is VType.Text or VType.Dynamic)
            {
                var s = SqlIn(other, VType.Text);
                return neq ? $"({s} <> '' AND {s} IS NOT NULL)" : $"({s} = '' OR {s} IS NULL)";
            }
            return neq ? $"{other.Sql} IS NOT NULL" : $"{other.Sql} IS NULL";
        }

        var p = Coerce(a, b, neq ? SignOp.Neq : SignOp.Eq);
        if (p.Constant is not null) return p.Constant;
        if (a.IsLiteral || b.IsLiteral)
            return neq ? _d.NullSafeNotEquals(p.A, p.B) : $"{p.A} = {p.B}";
        if (p.Domain == VType.Text)
            return neq ? $"COALESCE({p.A}, '') <> COALESCE({p.B}, '')" : $"COALESCE({p.A}, '') = COALESCE({p.B}, '')";
        return neq ? _d.NullSafeNotEquals(p.A, p.B) : _d.NullSafeEquals(p.A, p.B);
    }

    // ---- ordering ----

    private string Ordering(Resolved a, SignOp op, Resolved b)
    {
        if (a.Type == VType.Null || b.Type == VType.Null) return FalseSql; // NULL < x is never true
        var p = Coerce(a, b, op);
        return p.Constant ?? $"{p.A} {OpSql(op)} {p.B}";
    }

    // ---- LIKE ----

    private string Like(Resolved a, Resolved b, bool not)
    {
        string left;
        if (a.IsLiteral) left = a.Type == VType.Null ? "NULL" : P(LiteralText(a));
        else left = SqlIn(a, VType.Text);

        string pattern;
        if (b.IsLiteral)
        {
            if (b.Type == VType.Null) pattern = "NULL";
            else
            {
                var s = LiteralText(b);
                s = HasUnescapedPercent(s) ? BoundPattern(FixTrailingEscape(s)) : "%" + EscapeLike(s) + "%";
                pattern = P(s);
            }
        }
        else
        {
            var col = SqlIn(b, VType.Text);
            pattern = $"('%' || REPLACE(REPLACE(REPLACE({col}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')";
        }
        return $"{left} {(not ? "NOT " : "")}{_d.LikeOperator} {pattern} ESCAPE '\\'";
    }

    private static string LiteralText(Resolved r) => r.Literal switch
    {
        string s => s,
        double d => FilterValues.FormatNumber(d),
        bool b => b ? "1" : "0",
        _ => "",
    };

    private static bool HasUnescapedPercent(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '%') return true;
        }
        return false;
    }

    /// <summary>Collapses runs of '%' and caps the wildcard count: many wildcards make LIKE matching super-linear (security.md #20).</summary>
    private static string BoundPattern(string s)
    {
        var sb = new StringBuilder(s.Length);
        var wildcards = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\' && i + 1 < s.Length) { sb.Append(c).Append(s[++i]); continue; }
            if (c == '%' && sb.Length > 0 && sb[^1] == '%' && (sb.Length < 2 || sb[^2] != '\\')) continue;
            if (c is '%' or '_') wildcards++;
            sb.Append(c);
        }
        if (wildcards > FilterLimits.MaxLikeWildcards)
            throw new FilterException($"too many wildcards in a LIKE pattern (max {FilterLimits.MaxLikeWildcards})");
        return sb.ToString();
    }

    private static string FixTrailingEscape(string s)
    {
        var n = 0;
        for (var i = s.Length - 1; i >= 0 && s[i] == '\\'; i--) n++;
        return n % 2 == 1 ? s + "\\" : s;
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    // ---- type coercion ----

    private readonly record struct Pair(string A, string B, VType Domain, string? Constant);

    private static FilterValueType Ft(VType t) => t switch
    {
        VType.Number => FilterValueType.Number,
        VType.Bool => FilterValueType.Bool,
        _ => FilterValueType.Text,
    };

    /// <summary>The SQL of a non-literal operand in a comparison domain.</summary>
    private string SqlIn(Resolved r, VType domain)
    {
        if (r.Type == VType.Null) return "NULL";
        if (r.Type == VType.Dynamic)
            return r.JsonBase is not null ? _d.JsonExtractAs(r.JsonBase, r.JsonPath ?? [], Ft(domain)) : r.Sql;
        if (r.Type == domain) return r.Sql;
        return (r.Type, domain) switch
        {
            (VType.Bool, VType.Number) => _d.BoolToNumber(r.Sql),
            (VType.Bool, _) => _d.BoolToText(r.Sql),
            (VType.Number, VType.Text) => _d.NumberToText(r.Sql),
            (VType.Text, VType.Number) => _d.TextToNumber(r.Sql),
            (VType.JsonDoc, _) => _d.JsonToText(r.Sql),
            _ => r.Sql,
        };
    }

    /// <summary>Binds a literal in a domain; null when the literal cannot be read in it (e.g. "abc" as a number).</summary>
    private string? BindAs(Resolved lit, VType domain)
    {
        if (lit.Type == VType.Null) return "NULL";
        switch (domain)
        {
            case VType.Number:
                return lit.Literal switch
                {
                    double d => P(FilterValues.NumberValue(d)),
                    bool b => P(b ? 1L : 0L),
                    string s when FilterValues.TryParseNumber(s, out var n) => P(FilterValues.NumberValue(n)),
                    _ => null,
                };
            case VType.Bool:
                return lit.Literal switch
                {
                    bool b => _d.BoolLiteral(b),
                    double d when d is 0 or 1 => _d.BoolLiteral(d == 1),
                    string s when FilterValues.TryParseNumber(s, out var n) && n is 0 or 1 => _d.BoolLiteral(n == 1),
                    _ => null,
                };
            case VType.JsonDoc:
                if (lit.Literal is string js)
                {
                    try
                    {
                        var node = System.Text.Json.Nodes.JsonNode.Parse(js);
                        if (node is null) return null;
                        return _d.ParameterSql(ColumnKind.JsonArray, P(node.ToJsonString()));
                    }
                    catch (System.Text.Json.JsonException) { return null; }
                }
                return null;
            default:
                return P(LiteralText(lit));
        }
    }

    private static VType Unify(VType a, VType b)
    {
        if (a == b) return a == VType.Dynamic ? VType.Text : a;
        if (a == VType.JsonDoc || b == VType.JsonDoc) return VType.Text;
        if (a == VType.Dynamic) return b;
        if (b == VType.Dynamic) return a;
        return VType.Number; // Number/Bool/Text mixes compare as numbers (SQLite numeric affinity)
    }

    private Pair Coerce(Resolved a, Resolved b, SignOp op)
    {
        if (a.IsLiteral && b.IsLiteral)
        {
            var domain = a.Type == b.Type ? a.Type
                : (a.Type, b.Type) is (VType.Text, VType.Bool) or (VType.Bool, VType.Text) ? VType.Text
                : VType.Number;
            var sa = BindAs(a, domain);
            var sb = BindAs(b, domain);
            if (sa is not null && sb is not null) return new(sa, sb, domain, null);
            return new("", "", domain, NumberVsText(a.Type != VType.Text ? null : "x", op, a.Type == VType.Text));
        }

        if (a.IsLiteral != b.IsLiteral)
        {
            var lit = a.IsLiteral ? a : b;
            var col = a.IsLiteral ? b : a;
            var domain = col.Type switch
            {
                VType.Dynamic => lit.Type switch { VType.Number => VType.Number, VType.Bool => VType.Bool, _ => VType.Text },
                VType.JsonDoc => op is SignOp.Eq or SignOp.Neq ? VType.JsonDoc : VType.Text,
                var t => t,
            };
            var litSql = BindAs(lit, domain);
            if (litSql is null && domain == VType.JsonDoc)
            {
                domain = VType.Text;
                litSql = BindAs(lit, domain);
            }
            if (litSql is null && domain == VType.Bool && lit.Literal is double)
            {
                domain = VType.Number;
                litSql = BindAs(lit, domain);
            }
            if (litSql is null)
            {
                // a number (or boolean) column against non-numeric text: SQLite orders every number before every text
                var numSql = SqlIn(col, VType.Number);
                return new("", "", domain, NumberVsText(numSql, op, textOnLeft: a.IsLiteral));
            }
            var colSql = SqlIn(col, domain);
            return a.IsLiteral ? new(litSql, colSql, domain, null) : new(colSql, litSql, domain, null);
        }

        var d = Unify(a.Type, b.Type);
        return new(SqlIn(a, d), SqlIn(b, d), d, null);
    }

    /// <summary>"number OP text" where the text is not numeric: numbers sort before texts (SQLite).</summary>
    private static string NumberVsText(string? numSql, SignOp op, bool textOnLeft)
    {
        var numberIsLess = !textOnLeft;
        var notNull = numSql is null ? TrueSql : $"{numSql} IS NOT NULL";
        return op switch
        {
            SignOp.Eq => FalseSql,
            SignOp.Neq => TrueSql,
            SignOp.Lt or SignOp.Lte => numberIsLess ? notNull : FalseSql,
            _ => numberIsLess ? FalseSql : notNull,
        };
    }

    // ---- sort ----

    public string CompileSortItem(SortItem item)
    {
        if (item.Field == SortParser.Random) return _d.RandomFunction;
        if (item.Field == SortParser.RowId) return _fields.RowIdSql() + " " + _d.SortDirection(item.Descending, nullable: false);
        if (FilterMacros.IsMacro(item.Field) || (IsKeyword(item.Field) && !_fields.HasField(item.Field)))
            throw new FilterException($"invalid sort field '{item.Field}'");
        var scope = NewIsolated(collectGuards: true);
        var before = MainGuards.Count;
        var r = ResolveIdentifier(item.Field, scope);
        if (r.IsLiteral || r.StaticItems is not null)
        {
            if (item.Field.StartsWith("@request.", StringComparison.Ordinal)) return "";
            throw new FilterException($"invalid sort field '{item.Field}'");
        }
        string expr;
        var nullable = true;
        if (!scope.IsEmpty)
        {
            var inner = r.Type switch
            {
                VType.Bool => _d.BoolToNumber(r.Sql),
                VType.Dynamic or VType.JsonDoc => SqlIn(r, VType.Text),
                _ => r.Sql,
            };
            var conds = new List<string>(scope.Guards);
            if (r.Guard is not null) conds.Add(r.Guard);
            var where = conds.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conds);
            expr = $"(SELECT {(item.Descending ? "MAX" : "MIN")}({inner}) FROM {scope.From()}{where})";
        }
        else
        {
            expr = r.Type == VType.Dynamic && r.JsonBase is not null ? _d.JsonExtractForSort(r.JsonBase, r.JsonPath ?? []) : r.Sql;
            var guards = MainGuards.Skip(before).ToList();
            if (r.Guard is not null) guards.Add(r.Guard);
            if (guards.Count > 0) expr = $"(CASE WHEN {string.Join(" AND ", guards)} THEN {expr} END)";
            else nullable = !r.NotNull;
        }
        return expr + " " + _d.SortDirection(item.Descending, nullable);
    }
}
