using System.Globalization;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Records;

/// <summary>
/// The fields of a records filter, rule or sort (<see cref="IFieldResolver"/>): field paths through relations and
/// back-relations (with the related collections' list rules for client filters), hidden fields and email visibility,
/// @request.* and @collection.*. Identifiers only ever reach SQL as schema names quoted by the dialect; every value is a
/// parameter.
/// </summary>
internal sealed class RecordFieldResolver : IFieldResolver
{
    private readonly RecordQueryContext _ctx;
    private readonly SqlExprCompiler _c;
    private readonly ISqlDialect _d;

    public RecordFieldResolver(RecordQueryContext ctx, SqlExprCompiler compiler)
    {
        _ctx = ctx;
        _c = compiler;
        _d = ctx.Dialect;
    }

    private string Q(string identifier) => _d.Quote(identifier);

    private string P(object? value) => _ctx.Params.Add(value);

    public bool HasField(string name) => _ctx.Collection.FindField(name) is not null;

    public string RowIdSql() => _d.RowIdSql(_ctx.TableAlias, _ctx.Collection.IsView);

    private readonly record struct PathState(Collection Coll, string Alias, bool InMulti, bool NeedsAll, int Depth, bool AllowHidden, bool IsAuthPath);

    private void CheckAllowed(string name)
    {
        if (_ctx.AllowRequestAndCollection) return;
        if (name.StartsWith("@request.", StringComparison.Ordinal))
            throw new FilterException("Only superusers can filter by @request.", forbidden: true);
        if (name.StartsWith("@collection.", StringComparison.Ordinal))
            throw new FilterException("Only superusers can filter by @collection.", forbidden: true);
    }

    public Resolved ResolveIdentifier(string name, QueryScope scope)
    {
        CheckAllowed(name);
        if (name.StartsWith("@request.", StringComparison.Ordinal)) return ResolveRequest(name["@request.".Length..], scope);
        if (name.StartsWith("@collection.", StringComparison.Ordinal)) return ResolveCollectionRef(name["@collection.".Length..], scope);
        if (name[0] is '@' or '#') throw SqlExprCompiler.UnknownIdentifier(name);
        var (segs, mod) = SqlExprCompiler.SplitPath(name);
        var st = new PathState(_ctx.Collection, _ctx.TableAlias, false, false, 0, _ctx.AllowHiddenFields, false);
        return WalkPath(st, segs, 0, mod, scope);
    }

    private Resolved WalkPath(PathState st, string[] segs, int i, string? mod, QueryScope scope)
    {
        var seg = segs[i];
        var last = i == segs.Length - 1;
        var field = st.Coll.FindField(seg);
        if (field is null)
        {
            if (TryBackRelation(st, seg, scope, out var next))
            {
                if (last)
                {
                    var idField = next.Coll.FindField("id") ?? throw SqlExprCompiler.UnknownField(seg);
                    return Leaf(next, idField, mod, scope);
                }
                return WalkPath(next, segs, i + 1, mod, scope);
            }
            throw SqlExprCompiler.UnknownField(seg);
        }
        if (field.Hidden && !st.AllowHidden) throw SqlExprCompiler.UnknownField(seg);
        if (last) return Leaf(st, field, mod, scope);

        if (field.Kind is ColumnKind.Json or ColumnKind.JsonObject)
            return _c.JsonPath(new SqlExprCompiler.Source(st.Alias, st.InMulti, st.NeedsAll), field.Name, segs[(i + 1)..], mod);

        if (field is RelationField rel)
        {
            var target = _ctx.Collections.FindById(rel.CollectionId) ?? throw new FilterException($"relation field '{seg}' points to a missing collection");
            if (st.Depth + 1 > FilterLimits.MaxRelationDepth) throw new FilterException($"field path is too deep (max {FilterLimits.MaxRelationDepth} relations)");
            var rest = segs.Length - i - 1;
            if (!rel.IsMultiple)
            {
                if (rest == 1 && segs[i + 1] == "id") return Leaf(st, field, mod, scope);
                var next = JoinSingle(st, rel, target, scope);
                return WalkPath(next, segs, i + 1, mod, scope);
            }
            var je = _c.JoinEach(st.Alias, rel.Name, scope);
            if (rest == 1 && segs[i + 1] == "id")
            {
                return _c.TextModifier(new Resolved { Sql = $"{je}.value", Type = VType.Text, IsMulti = true, NeedsAll = true }, mod, "relation id");
            }
            var alias = scope.GetOrAdd($"{st.Alias}.{rel.Name}>{target.Id}", a => $"LEFT JOIN {Q(target.Name)} AS {a} ON {a}.{Q("id")} = {je}.value", out var added);
            if (added) AddScopeGuard(scope, target, alias);
            return WalkPath(new PathState(target, alias, true, true, st.Depth + 1, st.AllowHidden, st.IsAuthPath), segs, i + 1, mod, scope);
        }

        throw new FilterException($"invalid field path: '{seg}' has no sub-fields");
    }

    private PathState JoinSingle(PathState st, RelationField rel, Collection target, QueryScope scope)
    {
        if (!st.InMulti)
        {
            var alias = _ctx.TableAlias + "_r" + Fnv($"{st.Alias}.{rel.Name}>{target.Id}");
            var join = $"LEFT JOIN {Q(target.Name)} AS {alias} ON {alias}.{Q("id")} = {st.Alias}.{Q(rel.Name)}";
            if (!_ctx.Joins.Contains(join)) _ctx.Joins.Add(join);
            var guard = ListRuleGuard(target, alias);
            if (guard is not null && !_c.MainGuards.Contains(guard)) _c.MainGuards.Add(guard);
            return new PathState(target, alias, false, false, st.Depth + 1, st.AllowHidden, st.IsAuthPath);
        }
        var a2 = scope.GetOrAdd($"{st.Alias}.{rel.Name}>{target.Id}", a => $"LEFT JOIN {Q(target.Name)} AS {a} ON {a}.{Q("id")} = {st.Alias}.{Q(rel.Name)}", out var added);
        if (added) AddScopeGuard(scope, target, a2);
        return new PathState(target, a2, true, st.NeedsAll, st.Depth + 1, st.AllowHidden, st.IsAuthPath);
    }

    private bool TryBackRelation(PathState st, string seg, QueryScope scope, out PathState next)
    {
        next = default;
        var idx = seg.IndexOf("_via_", StringComparison.Ordinal);
        while (idx > 0)
        {
            var collName = seg[..idx];
            var fieldName = seg[(idx + 5)..];
            var src = _ctx.Collections.FindByName(collName) ?? _ctx.Collections.FindById(collName);
            if (src?.FindField(fieldName) is RelationField f && f.CollectionId == st.Coll.Id)
            {
                if (f.Hidden && !st.AllowHidden) return false;
                if (st.Depth + 1 > FilterLimits.MaxRelationDepth) throw new FilterException($"field path is too deep (max {FilterLimits.MaxRelationDepth} relations)");
                var parentId = $"{st.Alias}.{Q("id")}";
                var alias = scope.GetOrAdd($"{st.Alias}<{src.Id}.{f.Name}", a => f.IsMultiple
                    ? $"LEFT JOIN {Q(src.Name)} AS {a} ON {_d.JsonArrayContains($"{a}.{Q(f.Name)}", parentId)}"
                    : $"LEFT JOIN {Q(src.Name)} AS {a} ON {a}.{Q(f.Name)} = {parentId}", out var added);
                if (added) AddScopeGuard(scope, src, alias);
                next = new PathState(src, alias, true, true, st.Depth + 1, st.AllowHidden, st.IsAuthPath);
                return true;
            }
            idx = seg.IndexOf("_via_", idx + 1, StringComparison.Ordinal);
        }
        return false;
    }

    private Resolved Leaf(PathState st, Field field, string? mod, QueryScope scope)
    {
        string? guard = null;
        if (!_ctx.AllowHiddenFields && !st.IsAuthPath && st.Coll.IsAuth && field.Name == "email" && st.Coll.FindField("emailVisibility") is not null)
            guard = $"{st.Alias}.{Q("emailVisibility")} = {_d.BoolLiteral(true)}";
        // Every table column but a plain JSON field is NOT NULL; a view's columns and joined tables' columns may be NULL.
        var notNull = field.Kind != ColumnKind.Json && !st.Coll.IsView && st.Alias == _ctx.TableAlias;
        return _c.Column(new SqlExprCompiler.Source(st.Alias, st.InMulti, st.NeedsAll), field.Name, field.Kind, field.IsMultiple, notNull, guard, mod, scope);
    }

    // ---- list rules of related collections (client filters of non-superusers) ----

    private void AddScopeGuard(QueryScope scope, Collection target, string alias)
    {
        if (scope.Isolated) return;
        var g = ListRuleGuard(target, alias);
        if (g is not null) scope.Guards.Add(g);
    }

    private string? ListRuleGuard(Collection target, string alias)
    {
        if (_ctx.AllowRequestAndCollection || _ctx.RuleNesting > 0) return null;
        var rule = target.ListRule;
        if (rule is null) return "1=0";
        if (rule.Trim().Length == 0) return null;
        var inner = alias + "_lr";
        var nctx = new RecordQueryContext
        {
            Collection = target,
            Collections = _ctx.Collections,
            Dialect = _d,
            Params = _ctx.Params,
            TableAlias = inner,
            Request = _ctx.Request,
            Dependencies = _ctx.Dependencies,
            Clock = _ctx.Clock,
            AllowRequestAndCollection = true,
            AllowHiddenFields = true,
            RuleNesting = _ctx.RuleNesting + 1,
        };
        string cond;
        try { cond = FilterCompiler.CompileFilter(rule, nctx); }
        catch (FilterException) { cond = "1=0"; }
        var joins = nctx.Joins.Count == 0 ? "" : " " + string.Join(" ", nctx.Joins);
        return $"({alias}.{Q("id")} IS NULL OR EXISTS (SELECT 1 FROM {Q(target.Name)} AS {inner}{joins} WHERE {inner}.{Q("id")} = {alias}.{Q("id")} AND {cond}))";
    }

    private static string Fnv(string s)
    {
        var h = 2166136261u;
        foreach (var c in s) { h ^= c; h *= 16777619u; }
        return h.ToString("x8", CultureInfo.InvariantCulture);
    }

    // ---- @collection ----

    private Resolved ResolveCollectionRef(string rest, QueryScope scope)
    {
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) throw new FilterException($"invalid @collection path '@collection.{SqlExprCompiler.Short(rest)}': a field is required");
        var head = rest[..dot];
        var aliasName = "";
        var colon = head.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) { aliasName = head[(colon + 1)..]; head = head[..colon]; }
        var target = _ctx.Collections.Find(head) ?? throw new FilterException($"unknown collection '{SqlExprCompiler.Short(head)}' in @collection");
        var (segs, mod) = SqlExprCompiler.SplitPath(rest[(dot + 1)..]);
        var alias = scope.GetOrAdd($"@collection.{target.Id}:{aliasName}", a => $"LEFT JOIN {Q(target.Name)} AS {a} ON 1=1", out _);
        var st = new PathState(target, alias, true, true, 0, true, false);
        return WalkPath(st, segs, 0, mod, scope);
    }

    // ---- @request ----

    private Resolved ResolveRequest(string rest, QueryScope scope)
    {
        var req = _ctx.Request;
        _ctx.Dependencies.UsesRequest = true;
        string? mod = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0) { mod = rest[(colon + 1)..]; rest = rest[..colon]; }
        if (rest.Contains(':', StringComparison.Ordinal)) throw new FilterException("modifiers are only allowed at the end of a path");
        var segs = rest.Split('.');
        switch (segs[0])
        {
            case "context" when segs.Length == 1:
                return StaticValue(Resolved.Text(req.Context), true, mod, null);
            case "method" when segs.Length == 1:
                return StaticValue(Resolved.Text(req.Method), true, mod, null);
            case "query" when segs.Length >= 2:
            case "headers" when segs.Length >= 2:
            {
                var key = string.Join('.', segs[1..]);
                var dict = segs[0] == "query" ? req.Query : req.Headers;
                var found = dict.TryGetValue(key, out var v);
                return StaticValue(found ? Resolved.Text(v!) : Resolved.Null, found, mod, null);
            }
            case "body" when segs.Length >= 2:
                return ResolveBody(segs[1..], mod, scope);
            case "auth" when segs.Length >= 2:
                return ResolveAuth(segs[1..], mod, scope);
            default:
                throw new FilterException($"unknown @request field '@request.{SqlExprCompiler.Short(rest)}'");
        }
    }

    private Resolved StaticValue(Resolved value, bool exists, string? mod, JsonNode? raw)
    {
        switch (mod)
        {
            case null: return value;
            case "isset": return Resolved.Bool(exists);
            case "lower":
                return value.Literal switch
                {
                    string s => Resolved.Text(AsciiLower(s)),
                    _ => value,
                };
            case "length":
                return Resolved.Number(raw switch
                {
                    JsonArray a => a.Count,
                    null => value.Literal is string s ? (s.Length == 0 ? 0 : 1) : value.Type == VType.Null ? 0 : 1,
                    JsonValue jv when jv.GetValueKind() == System.Text.Json.JsonValueKind.String && jv.GetValue<string>().Length == 0 => 0,
                    _ => 1,
                });
            case "each":
                if (raw is JsonArray arr) return new Resolved { Type = VType.Text, StaticItems = [.. arr.Select(n => FromJson(n, null))] };
                return new Resolved { Type = VType.Text, StaticItems = value.IsEmptyLiteral ? [] : [value] };
            default:
                throw new FilterException($"unknown modifier ':{SqlExprCompiler.Short(mod)}'");
        }
    }

    private static string AsciiLower(string s) => string.Create(s.Length, s, (span, src) =>
    {
        for (var i = 0; i < src.Length; i++) span[i] = src[i] is >= 'A' and <= 'Z' ? (char)(src[i] + 32) : src[i];
    });

    private static Resolved FromJson(JsonNode? node, Field? field)
    {
        switch (node)
        {
            case null: return Resolved.Null;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case System.Text.Json.JsonValueKind.String:
                        var s = v.GetValue<string>();
                        if (field?.Kind == ColumnKind.Number && FilterValues.TryParseNumber(s, out var num)) return Resolved.Number(num);
                        if (field?.Kind == ColumnKind.Bool && (s == "true" || s == "false")) return Resolved.Bool(s == "true");
                        return Resolved.Text(s);
                    case System.Text.Json.JsonValueKind.True: return Resolved.Bool(true);
                    case System.Text.Json.JsonValueKind.False: return Resolved.Bool(false);
                    case System.Text.Json.JsonValueKind.Number:
                        return double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                            ? Resolved.Number(d) : Resolved.Null;
                    case System.Text.Json.JsonValueKind.Null: return Resolved.Null;
                    default: return Resolved.Text(v.ToJsonString());
                }
            default:
                return Resolved.Text(node.ToJsonString());
        }
    }

    private Resolved ResolveBody(string[] segs, string? mod, QueryScope scope)
    {
        var body = _ctx.Request.Body;
        var key = segs[0];
        JsonNode? node = null;
        var exists = body is not null && body.TryGetPropertyValue(key, out node);
        var field = _ctx.Collection.FindField(key);

        if (segs.Length == 1)
        {
            if (mod == "changed")
            {
                if (field is null) throw new FilterException($"modifier ':changed' needs a field of the collection ('{SqlExprCompiler.Short(key)}')");
                if (!exists) return Resolved.Bool(false);
                var cmp = new ComparisonExpr(new IdentifierOperand("@request.body." + key, 0), SignOp.Neq, new IdentifierOperand(key, 0), 0);
                return new Resolved { Sql = "(" + _c.CompileComparison(cmp, scope) + ")", Type = VType.Bool };
            }
            return StaticValue(exists ? FromJson(node, field) : Resolved.Null, exists, mod, node);
        }

        if (mod is "isset" or "changed" or "length" or "each" && field is not RelationField)
            throw new FilterException($"modifier ':{mod}' is not supported for '@request.body.{SqlExprCompiler.Short(string.Join('.', segs))}'");

        if (field is RelationField rel)
        {
            var target = _ctx.Collections.FindById(rel.CollectionId) ?? throw new FilterException($"relation field '{key}' points to a missing collection");
            var ids = node switch
            {
                JsonArray a => a.Select(n => n is JsonValue jv && jv.GetValueKind() == System.Text.Json.JsonValueKind.String ? jv.GetValue<string>() : null).OfType<string>().ToList(),
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
                _ => new List<string>(),
            };
            ids.RemoveAll(s => s.Length == 0);
            var alias = scope.GetOrAdd($"@request.body.{key}", a => ids.Count == 0
                ? $"LEFT JOIN {Q(target.Name)} AS {a} ON 1=0"
                : $"LEFT JOIN {Q(target.Name)} AS {a} ON {a}.{Q("id")} IN ({string.Join(", ", ids.Select(id => P(id)))})", out _);
            var st = new PathState(target, alias, true, rel.IsMultiple, 1, true, false);
            var (restSegs, _) = SqlExprCompiler.SplitPath(string.Join('.', segs[1..]));
            return WalkPath(st, restSegs, 0, mod, scope);
        }

        // A path into a submitted JSON value: navigated here, in memory.
        JsonNode? cur = node;
        foreach (var s in segs[1..])
        {
            cur = cur switch
            {
                JsonObject o => o.TryGetPropertyValue(s, out var child) ? child : null,
                JsonArray a when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var ix) && ix < a.Count => a[ix],
                _ => null,
            };
            if (cur is null) break;
        }
        return StaticValue(FromJson(cur, null), cur is not null, mod, cur);
    }

    private static readonly HashSet<string> StaticAuthFields = ["id", "collectionId", "collectionName", "email", "emailVisibility", "verified"];

    private Resolved ResolveAuth(string[] segs, string? mod, QueryScope scope)
    {
        var auth = _ctx.Request.Auth;
        if (auth is null) return mod == "isset" ? Resolved.Bool(false) : Resolved.Null;
        if (mod is "isset" or "changed") throw new FilterException($"modifier ':{mod}' is not supported for @request.auth");
        if (segs.Length == 1 && StaticAuthFields.Contains(segs[0]))
        {
            var v = segs[0] switch
            {
                "id" => Resolved.Text(auth.Id),
                "collectionId" => Resolved.Text(auth.Collection.Id),
                "collectionName" => Resolved.Text(auth.Collection.Name),
                "email" => Resolved.Text(auth.GetString("email")),
                "emailVisibility" => Resolved.Bool(auth.GetBool("emailVisibility")),
                _ => Resolved.Bool(auth.GetBool("verified")),
            };
            return StaticValue(v, true, mod, null);
        }
        var coll = _ctx.Collections.FindById(auth.Collection.Id) ?? auth.Collection;
        var (path, _) = SqlExprCompiler.SplitPath(string.Join('.', segs));
        var alias = scope.GetOrAdd("@request.auth", a => $"LEFT JOIN {Q(coll.Name)} AS {a} ON {a}.{Q("id")} = {P(auth.Id)}", out _);
        var st = new PathState(coll, alias, true, false, 0, true, true);
        return WalkPath(st, path, 0, mod, scope);
    }
}
