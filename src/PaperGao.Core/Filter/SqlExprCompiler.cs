using System.Globalization;
using PaperGao.Core.Data;
using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Filter;

/// <summary>
/// One compilation of a filter or sort: the language's part (literals, datetime macros, functions, comparisons, the
/// EXISTS scopes of multi-valued operands) over the fields its context's resolver supplies (<see cref="IFieldResolver"/>).
/// Identifiers only ever reach SQL as names quoted by the dialect; every value is a parameter.
/// </summary>
internal sealed partial class SqlExprCompiler
{
    private readonly FilterContext _ctx;
    private readonly ISqlDialect _d;
    private readonly IFieldResolver _fields;
    private int _isolatedCounter;

    public SqlExprCompiler(FilterContext ctx)
    {
        _ctx = ctx;
        _d = ctx.Dialect;
        Shared = new QueryScope(ctx.TableAlias + "_s", isolated: false);
        _fields = ctx.CreateResolver(this);
    }

    /// <summary>The sources shared by the whole filter (one EXISTS).</summary>
    public QueryScope Shared { get; }

    /// <summary>Conditions on main-scope joins (listRule of related collections in client filters).</summary>
    public List<string> MainGuards { get; } = [];

    public QueryScope NewIsolated(bool collectGuards = false) =>
        new(_ctx.TableAlias + "_m" + (++_isolatedCounter).ToString(CultureInfo.InvariantCulture) + "_", isolated: !collectGuards);

    private string P(object? value) => _ctx.Params.Add(value);

    public Resolved Resolve(Operand operand, QueryScope scope) => operand switch
    {
        TextOperand t => Resolved.Text(t.Value),
        NumberOperand n => Resolved.Number(n.Value),
        FunctionOperand f => ResolveFunction(f, scope),
        IdentifierOperand id => ResolveIdentifierAt(id, scope),
        _ => throw new FilterException("invalid operand"),
    };

    /// <summary>An identifier of the filter text: an error resolving it names the identifier's position.</summary>
    private Resolved ResolveIdentifierAt(IdentifierOperand id, QueryScope scope)
    {
        try
        {
            return ResolveIdentifier(id.Name, scope);
        }
        catch (FilterException ex) when (!ex.Forbidden && ex.Position is null)
        {
            throw ex.At(id.Position);
        }
    }

    public static bool IsKeyword(string name) =>
        name.Equals("null", StringComparison.OrdinalIgnoreCase) || name.Equals("true", StringComparison.OrdinalIgnoreCase) || name.Equals("false", StringComparison.OrdinalIgnoreCase);

    public Resolved ResolveIdentifier(string name, QueryScope scope)
    {
        if (FilterMacros.TryResolve(name, _ctx.Clock.GetUtcNow().UtcDateTime, out var macro))
        {
            _ctx.Dependencies.UsesClock = true;
            return macro;
        }
        if (IsKeyword(name) && !_fields.HasField(name))
        {
            return name.ToLowerInvariant() switch
            {
                "null" => Resolved.Null,
                "true" => Resolved.Bool(true),
                _ => Resolved.Bool(false),
            };
        }
        return _fields.ResolveIdentifier(name, scope);
    }

    public static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;

    public static FilterException UnknownField(string name) => new($"unknown field '{Short(name)}'");

    public static FilterException UnknownIdentifier(string name) => new($"unknown identifier '{Short(name)}'");

    /// <summary>Splits "a.b.c:mod" into segments and the modifier; validates every segment.</summary>
    public static (string[] Segments, string? Modifier) SplitPath(string path)
    {
        string? mod = null;
        var colon = path.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            mod = path[(colon + 1)..];
            path = path[..colon];
            if (mod.Length == 0 || mod.Contains('.', StringComparison.Ordinal) || mod.Contains(':', StringComparison.Ordinal))
                throw new FilterException($"invalid modifier in '{Short(path + ":" + mod)}': modifiers are only allowed at the end of a path");
        }
        var segs = path.Split('.');
        foreach (var s in segs)
        {
            if (s.Length == 0 || !s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new FilterException($"invalid field path '{Short(path)}'");
        }
        return (segs, mod);
    }

    // ---- columns of the field sources ----

    /// <summary>Where an operand's rows come from: whether it varies over a multi-valued source and needs match-all.</summary>
    public readonly record struct Source(string Alias, bool InMulti, bool NeedsAll);

    /// <summary>
    /// A field stored in a column of <paramref name="source"/> with an optional modifier (:lower, :length, :each).
    /// <paramref name="notNull"/>: the bare column is never NULL (comparisons and sorts may skip NULL handling);
    /// <paramref name="guard"/>: a condition that must hold as well (an auth record's email visibility).
    /// </summary>
    public Resolved Column(Source source, string name, ColumnKind kind, bool multiple, bool notNull, string? guard, string? mod, QueryScope scope)
    {
        var col = $"{source.Alias}.{_d.Quote(name)}";
        switch (mod)
        {
            case null:
            case "lower":
                var r = kind switch
                {
                    ColumnKind.Text => new Resolved { Sql = col, Type = VType.Text },
                    ColumnKind.Number => new Resolved { Sql = col, Type = VType.Number },
                    ColumnKind.Bool => new Resolved { Sql = col, Type = VType.Bool },
                    ColumnKind.Json => new Resolved { Sql = _d.JsonExtract(col, []), Type = VType.Dynamic, JsonBase = col, JsonPath = [] },
                    _ => new Resolved { Sql = col, Type = VType.JsonDoc },
                };
                r = new Resolved { Sql = r.Sql, Type = r.Type, JsonBase = r.JsonBase, JsonPath = r.JsonPath, IsMulti = source.InMulti, NeedsAll = source.NeedsAll, Guard = guard, NotNull = mod is null && notNull };
                return mod is null ? r : TextModifier(r, mod, name);
            case "length":
                if (!multiple) throw new FilterException($"modifier ':length' is only allowed for multi-valued fields ('{name}')");
                return new Resolved { Sql = _d.JsonArrayLength(col), Type = VType.Number, IsMulti = source.InMulti, NeedsAll = source.NeedsAll, Guard = guard };
            case "each":
                if (!multiple) throw new FilterException($"modifier ':each' is only allowed for multi-valued fields ('{name}')");
                var je = JoinEach(source.Alias, name, scope);
                return new Resolved { Sql = $"{je}.value", Type = VType.Text, IsMulti = true, NeedsAll = true, Guard = guard };
            case "isset":
            case "changed":
                throw new FilterException($"modifier ':{mod}' is only allowed for @request.* fields");
            default:
                throw new FilterException($"unknown modifier ':{Short(mod)}'");
        }
    }

    /// <summary>A path into a JSON column ("data.a.b"), typed per comparison at run time; only :lower applies.</summary>
    public Resolved JsonPath(Source source, string name, string[] path, string? mod)
    {
        var col = $"{source.Alias}.{_d.Quote(name)}";
        var r = new Resolved
        {
            Sql = _d.JsonExtract(col, path),
            Type = VType.Dynamic,
            JsonBase = col,
            JsonPath = path,
            IsMulti = source.InMulti,
            NeedsAll = source.NeedsAll,
        };
        return mod switch
        {
            null => r,
            "lower" => new Resolved { Sql = $"LOWER({_d.JsonExtractAs(col, path, FilterValueType.Text)})", Type = VType.Text, IsMulti = r.IsMulti, NeedsAll = r.NeedsAll },
            _ => throw new FilterException($"modifier ':{mod}' is not supported for JSON paths"),
        };
    }

    /// <summary>The alias of the rows of a JSON array column (json_each), joined once per scope.</summary>
    public string JoinEach(string alias, string name, QueryScope scope)
    {
        var col = $"{alias}.{_d.Quote(name)}";
        return scope.GetOrAdd($"{alias}.{name}:each", a => $"LEFT JOIN {_d.JsonEachAs(col, a)} ON 1=1", out _);
    }

    /// <summary>Applies :lower (the only modifier of text values); any other modifier is refused for <paramref name="what"/>.</summary>
    public Resolved TextModifier(Resolved r, string? mod, string what)
    {
        if (mod is null) return r;
        if (mod != "lower") throw new FilterException($"modifier ':{Short(mod)}' is not supported for '{what}'");
        return new Resolved { Sql = $"LOWER({SqlIn(r, VType.Text)})", Type = VType.Text, IsMulti = r.IsMulti, NeedsAll = r.NeedsAll, Guard = r.Guard };
    }

    // ---- functions ----

    private Resolved ResolveFunction(FunctionOperand f, QueryScope scope)
    {
        switch (f.Name)
        {
            case "geoDistance":
            {
                if (f.Args.Count != 4) throw new FilterException($"geoDistance expects 4 arguments at position {f.Position}");
                var args = new string[4];
                var multi = false;
                for (var i = 0; i < 4; i++)
                {
                    if (f.Args[i] is not (IdentifierOperand or NumberOperand))
                        throw new FilterException($"geoDistance arguments must be fields or numbers (position {f.Args[i].Position})");
                    var r = Resolve(f.Args[i], scope);
                    if (r.StaticItems is not null || r.Type == VType.JsonDoc) throw new FilterException($"invalid geoDistance argument at position {f.Args[i].Position}");
                    multi |= r.IsMulti;
                    args[i] = r.IsLiteral ? (BindAs(r, VType.Number) ?? "NULL") : SqlIn(r, VType.Number);
                }
                return new Resolved { Sql = _d.GeoDistance(args[0], args[1], args[2], args[3]), Type = VType.Number, IsMulti = multi };
            }
            case "strftime":
            {
                if (f.Args.Count is < 1 or > 10) throw new FilterException($"strftime expects 1 to 10 arguments at position {f.Position}");
                if (f.Args[0] is not TextOperand fmt) throw new FilterException($"strftime format must be a quoted text at position {f.Args[0].Position}");
                string? time = null;
                var timeIsNumber = false;
                var multi = false;
                var needsAll = false;
                if (f.Args.Count >= 2)
                {
                    var r = Resolve(f.Args[1], scope);
                    if (r.StaticItems is not null) throw new FilterException($"invalid strftime time value at position {f.Args[1].Position}");
                    multi = r.IsMulti;
                    needsAll = r.NeedsAll;
                    timeIsNumber = r.Type == VType.Number || (r.Type == VType.Bool);
                    if (r.IsLiteral)
                    {
                        time = r.Literal switch
                        {
                            string s when FilterValues.IsValidTimeText(s) => P(s),
                            double d => P(FilterValues.NumberValue(d)),
                            bool b => P(b ? 1L : 0L),
                            _ => "NULL",
                        };
                    }
                    else
                    {
                        time = r.Type switch
                        {
                            VType.Bool => _d.BoolToNumber(r.Sql),
                            VType.JsonDoc => _d.JsonToText(r.Sql),
                            VType.Dynamic => SqlIn(r, VType.Text),
                            _ => r.Sql,
                        };
                    }
                }
                var mods = new List<string>();
                for (var i = 2; i < f.Args.Count; i++)
                {
                    if (f.Args[i] is not TextOperand m) throw new FilterException($"strftime modifiers must be quoted texts at position {f.Args[i].Position}");
                    mods.Add(m.Value);
                }
                string sql;
                try { sql = _d.Strftime(fmt.Value, time, timeIsNumber, mods, P); }
                catch (NotSupportedException ex) { throw new FilterException($"strftime at position {f.Position}: {ex.Message}"); }
                return new Resolved { Sql = sql, Type = VType.Text, IsMulti = multi, NeedsAll = needsAll };
            }
            default:
                throw new FilterException($"unknown function '{Short(f.Name)}' at position {f.Position}");
        }
    }
}
