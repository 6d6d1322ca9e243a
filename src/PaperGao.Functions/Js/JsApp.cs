using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using PaperGao.Core.Rules;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// $app: the project's records for functions. The plain $app acts with full access (like PocketBase's); the one
/// $app.asUser(auth) returns applies the collections' API rules for that caller on every find and write.
/// Inside a before-hook or runInTransaction it works in that transaction.
/// </summary>
public sealed class JsApp(FunctionEngine engine, RequestInfo? asUser)
{
    private static readonly RequestInfo Full = new() { IsSuperuser = true, Context = "function", Method = "POST" };

    private Project P => engine.Context.Project;
    private RequestInfo Req => asUser ?? Full;
    private bool Ruled => asUser is { IsSuperuser: false };

    public JsApp AsUser(JsRecord? auth) => new(engine, new RequestInfo
    {
        Auth = auth?.Inner,
        IsSuperuser = auth?.Inner.Collection.Name == ProjectInitializer.SuperusersName,
        Context = "function",
        Method = "POST",
    });

    public JsLogger Logger() => new(engine, "$app.logger");

    /// <summary>A client that sends mail through the project's mailer and the onMailerSend hooks.</summary>
    public JsMailClient NewMailClient() => new(engine);

    public JsCollection FindCollectionByNameOrId(string nameOrId) => new(FindCollection(nameOrId));

    public JsRecord FindRecordById(JsValue collection, string id)
    {
        var c = CollectionOf(collection);
        var record = Read((conn, tx) => RecordLister.FetchOneAsync(P, conn, tx, c, Ruled ? c.ViewRule : "", id, Req, CancellationToken.None));
        return record is null ? throw ApiError.NotFound() : new JsRecord(engine, record);
    }

    public JsRecord FindFirstRecordByData(JsValue collection, string field, JsValue value)
    {
        var c = CollectionOf(collection);
        if (c.FindField(field) is null) throw ApiError.BadRequest($"Unknown field \"{field}\".");
        var literal = Literal(value);
        var list = Find(c, $"{field} = {literal}", "", 1, 0);
        return list.Count > 0 ? new JsRecord(engine, list[0]) : throw ApiError.NotFound();
    }

    public JsRecord FindFirstRecordByFilter(JsValue collection, string filter, JsValue? parameters = null)
    {
        var c = CollectionOf(collection);
        var list = Find(c, Bind(filter, parameters), "", 1, 0);
        return list.Count > 0 ? new JsRecord(engine, list[0]) : throw ApiError.NotFound();
    }

    public JsValue FindRecordsByFilter(JsValue collection, string filter, string? sort = null, int limit = 0, int offset = 0, JsValue? parameters = null)
    {
        var c = CollectionOf(collection);
        var list = Find(c, Bind(filter, parameters), sort ?? "", limit <= 0 ? 1000 : Math.Min(limit, 10_000), Math.Max(0, offset));
        return Jint.Native.JsValue.FromObject(engine.Js, list.Select(r => new JsRecord(engine, r)).ToArray());
    }

    public long CountRecords(JsValue collection, string? filter = null, JsValue? parameters = null)
    {
        var c = CollectionOf(collection);
        var ctx = RuleQuery.NewContext(P, c, Req, clientFilter: false);
        var where = string.IsNullOrWhiteSpace(filter) ? null : Compile(Bind(filter, parameters), ctx);
        var rule = Ruled ? RuleSql.Condition(c.ListRule, ctx) : null;
        var sql = "SELECT COUNT(*)" + Core.Data.PagedList.FromWhere(P.Dialect, c.Name, ctx.Joins, where, rule);
        var count = Read((conn, tx) => P.Database.ScalarAsync(conn, tx, sql, ctx.Params, CancellationToken.None));
        return Convert.ToInt64(count, CultureInfo.InvariantCulture);
    }

    /// <summary>Creates or updates the record through the one write pipeline (hooks, validation, realtime).</summary>
    public void Save(JsRecord record)
    {
        var c = record.Inner.Collection;
        var body = record.ToBody();
        var saved = FunctionCall.Wait(record.IsNew()
            ? RecordWriter.CreateAsync(P, c, body, Req, FunctionCall.Scope)
            : RecordWriter.UpdateAsync(P, c, record.Id, body, Req, FunctionCall.Scope));
        record.Replace(saved);
    }

    public void Delete(JsRecord record) =>
        FunctionCall.Wait(RecordWriter.DeleteAsync(P, record.Inner.Collection, record.Id, Req, FunctionCall.Scope));

    /// <summary>
    /// Runs fn(txApp) in one transaction: everything it writes commits together, or nothing when it throws. Inside an
    /// open transaction (a hook's, another runInTransaction's) it runs in a savepoint of it: when fn throws, what it
    /// wrote and queued for the commit is undone, and the caller may catch the error and go on.
    /// </summary>
    public void RunInTransaction(JsValue fn)
    {
        if (FunctionCall.Scope is { } open)
        {
            FunctionCall.Wait(open.NestedAsync(P.Database, () =>
            {
                engine.Js.Invoke(fn, JsValue.Undefined, [JsValue.FromObject(engine.Js, this)]);
                return Task.FromResult(true);
            }, P.Hooks.ReportAfterCommitError, CancellationToken.None));
            return;
        }
        FunctionCall.Wait(RecordWriter.InScope(P, null, scope =>
        {
            FunctionCall.WithScope<object?>(scope, () => engine.Js.Invoke(fn, JsValue.Undefined, [JsValue.FromObject(engine.Js, this)]));
            return Task.FromResult(true);
        }, CancellationToken.None));
    }

    internal Collection CollectionOf(JsValue v) => v.ToObject() switch
    {
        JsCollection jc => P.Collections.FindById(jc.Id) ?? jc.Inner,
        string s => FindCollection(s),
        _ => throw ApiError.BadRequest("Expected a collection name, id or object."),
    };

    private Collection FindCollection(string nameOrId) => P.Collections.Find(nameOrId) ?? throw ApiError.NotFound("Missing collection \"" + nameOrId + "\".");

    private List<Record> Find(Collection c, string filter, string sort, int limit, int offset)
    {
        var ctx = RuleQuery.NewContext(P, c, Req, clientFilter: false);
        var where = string.IsNullOrWhiteSpace(filter) ? null : Compile(filter, ctx);
        var rule = Ruled ? RuleSql.Condition(c.ListRule, ctx) : null;
        string? orderBy;
        try { orderBy = string.IsNullOrWhiteSpace(sort) ? null : FilterCompiler.CompileSort(sort, ctx); }
        catch (FilterException e) { throw ApiError.BadRequest("Invalid sort: " + e.Message); }
        var sql = RuleQuery.BuildSelect(P, c, ctx, where, rule, orderBy, limit);
        if (offset > 0) sql += " OFFSET " + offset.ToString(CultureInfo.InvariantCulture);
        return Read(async (conn, tx) =>
        {
            await using var cmd = P.Database.Command(conn, tx, sql, ctx.Params);
            return await RecordSql.ReadAllAsync(c, cmd, CancellationToken.None);
        });
    }

    private static string Compile(string filter, RecordQueryContext ctx)
    {
        try { return FilterCompiler.CompileFilter(filter, ctx); }
        catch (FilterException e) { throw ApiError.BadRequest("Invalid filter: " + e.Message); }
    }

    /// <summary>Reads in the function's transaction when it has one, else on a read connection.</summary>
    private T Read<T>(Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction?, Task<T>> read)
    {
        if (FunctionCall.Scope is { } scope) return FunctionCall.Wait(read(scope.Connection, scope.Transaction));
        return FunctionCall.Wait(P.Database.ReadAsync(conn => read(conn, null), CancellationToken.None));
    }

    /// <summary>Replaces {:name} placeholders with filter literals of the given values (quoted, never SQL).</summary>
    private string Bind(string filter, JsValue? parameters)
    {
        if (parameters is not ObjectInstance o || !filter.Contains("{:", StringComparison.Ordinal)) return filter;
        var sb = new StringBuilder(filter.Length + 32);
        var i = 0;
        while (i < filter.Length)
        {
            var start = filter.IndexOf("{:", i, StringComparison.Ordinal);
            if (start < 0) { sb.Append(filter, i, filter.Length - i); break; }
            var end = filter.IndexOf('}', start);
            if (end < 0) { sb.Append(filter, i, filter.Length - i); break; }
            sb.Append(filter, i, start - i);
            var name = filter[(start + 2)..end];
            var value = o.Get(name);
            sb.Append(value.IsUndefined() ? filter[start..(end + 1)] : Literal(value));
            i = end + 1;
        }
        return sb.ToString();
    }

    /// <summary>A value as a filter literal: numbers and booleans as such, everything else as a quoted string.</summary>
    private string Literal(JsValue v)
    {
        if (v.IsNumber()) return v.AsNumber().ToString("R", CultureInfo.InvariantCulture);
        if (v.IsBoolean()) return v.AsBoolean() ? "true" : "false";
        if (v.IsNull() || v.IsUndefined()) return "null";
        var s = v.IsString() ? v.AsString() : JsConvert.ToNode(engine.Js, v)?.ToJsonString() ?? "";
        // The filter lexer knows one escape (\" inside "..."); a trailing backslash would escape the closing quote.
        if (s.EndsWith('\\')) throw ApiError.BadRequest("A filter parameter cannot end with a backslash.");
        return "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
