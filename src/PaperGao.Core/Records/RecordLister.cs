using System.Text.Json;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Projects;
using PaperGao.Core.Rules;

namespace PaperGao.Core.Records;

/// <summary>
/// The records list: rule and filter compiled into one parameterized query, written straight from the data
/// reader into JSON (records are only built in memory when an expand needs them).
/// </summary>
public static class RecordLister
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Collection, System.Collections.Concurrent.ConcurrentDictionary<(long, bool, string, string), CompiledList>> ListCache = [];
    private const int ListCacheCapacity = 256;

    /// <summary>The compiled FROM/WHERE and ORDER BY of a list, with its parameter values in order.</summary>
    private sealed record CompiledList(string FromWhere, string? OrderBy, object?[] Values, bool Reusable);

    public static async Task WriteListAsync(Project project, Collection c, ListQuery q, RequestInfo request, Utf8JsonWriter w, CancellationToken ct)
    {
        var (compiled, parameters) = GetCompiled(project, c, q, request);
        await WriteAsync(project, c, q, request, compiled, parameters, w, ct);
    }

    /// <summary>
    /// One page of a list as records (GraphQL builds its own output from them): same SQL, rules and cache as the JSON
    /// list, and the same email marks (<see cref="EmailAccess"/>: the requester's own record and those it manages).
    /// </summary>
    public static async Task<RecordPage> FetchPageAsync(Project project, Collection c, ListQuery q, RequestInfo request,
        System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx, CancellationToken ct)
    {
        var (compiled, parameters) = GetCompiled(project, c, q, request);
        var items = new List<Record>();
        var total = await QueryAsync(project, c, q, compiled, parameters, conn, tx, null, reader => items.Add(RecordSql.Read(c, reader)), ct);
        await EmailAccess.MarkAsync(project, conn, tx, items, request, ct);
        return new RecordPage(q.Page, q.PerPage, total, q.Window.TotalPages(total), items);
    }

    /// <summary>
    /// The list's total (-1 when skipped; with estimateTotal, <see cref="TotalEstimate"/>'s instead of the exact count)
    /// and page (<see cref="PagedList.QueryAsync"/>), each row of the page handed to <paramref name="row"/>.
    /// </summary>
    private static async Task<long> QueryAsync(Project project, Collection c, ListQuery q, CompiledList compiled, Data.SqlParams parameters,
        System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx, Action? begin, Action<System.Data.Common.DbDataReader> row, CancellationToken ct)
    {
        return await PagedList.QueryAsync(project.Database, conn, tx,
            new PagedQuery(RecordSql.SelectList(c, project.Dialect), compiled.FromWhere, compiled.OrderBy, q.Window, parameters, c.Name, c.IsView), row, ct, begin);
    }

    /// <summary>The compiled list from the cache (or compiled now) and a fresh copy of its parameters.</summary>
    private static (CompiledList Compiled, Data.SqlParams Parameters) GetCompiled(Project project, Collection c, ListQuery q, RequestInfo request)
    {
        // A rule, filter and sort whose SQL did not depend on the request or the clock compile to the same SQL every
        // time: keep it per collection definition (a schema change makes a new Collection, hence a new cache).
        var perCollection = ListCache.GetOrCreateValue(c);
        // The schema version is part of the key: the SQL may embed other collections' rules.
        var key = (project.Collections.Version, request.IsSuperuser, q.Filter, q.Sort);
        if (!perCollection.TryGetValue(key, out var compiled))
        {
            compiled = Compile(project, c, q, request);
            if (compiled.Reusable)
            {
                if (perCollection.Count >= ListCacheCapacity) perCollection.Clear();
                perCollection[key] = compiled;
            }
        }
        var parameters = new Data.SqlParams();
        foreach (var v in compiled.Values) parameters.Add(v);
        return (compiled, parameters);
    }

    private static CompiledList Compile(Project project, Collection c, ListQuery q, RequestInfo request)
    {
        var d = project.Dialect;
        var ruleCtx = RuleQuery.NewContext(project, c, request, clientFilter: false);
        var ruleSql = RuleSql.Condition(c.ListRule, ruleCtx);
        var filterCtx = RuleQuery.NewContext(project, c, request, clientFilter: true, ruleCtx.Params);
        string? filterSql = null;
        string? orderBy = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(q.Filter)) filterSql = FilterCompiler.CompileFilter(q.Filter, filterCtx);
            if (!string.IsNullOrWhiteSpace(q.Sort)) orderBy = FilterCompiler.CompileSort(q.Sort, filterCtx);
        }
        catch (FilterException ex)
        {
            throw ex.Forbidden ? ApiError.Forbidden(ex.Message) : ApiError.BadRequest(ex.Message);
        }

        var from = PagedList.FromWhere(d, c.Name, ruleCtx.Joins.Concat(filterCtx.Joins), ruleSql, filterSql);
        var reusable = ruleCtx.Dependencies.IsConstant && filterCtx.Dependencies.IsConstant && !q.Sort.Contains("@random", StringComparison.Ordinal);
        return new CompiledList(from, orderBy, [.. ruleCtx.Params.Values], reusable);
    }

    private static async Task WriteAsync(Project project, Collection c, ListQuery q, RequestInfo request, CompiledList compiled, Data.SqlParams parameters, Utf8JsonWriter w, CancellationToken ct)
    {
        var tree = ExpandTree.Parse(q.Expand);
        var viewer = RecordJsonWriter.Viewer.From(request);

        await project.Database.ReadAsync(async conn =>
        {
            long total;
            if (tree.IsEmpty && !EmailAccess.NeedsQuery(c, request) && !RecordEnricher.Applies(project, c))
            {
                // Nothing is written before the statements answered: a stale prepared plan retried by ReadAsync
                // (PostgresProjectDatabase) starts again on an empty writer.
                total = await QueryAsync(project, c, q, compiled, parameters, conn, null, () =>
                {
                    w.WriteStartObject();
                    w.WritePropertyName("items");
                    w.WriteStartArray();
                }, reader => RecordJsonWriter.WriteRow(w, c, reader, viewer), ct);
                w.WriteEndArray();
            }
            else
            {
                var records = new List<Record>();
                total = await QueryAsync(project, c, q, compiled, parameters, conn, null, null, reader => records.Add(RecordSql.Read(c, reader)), ct);
                await EmailAccess.MarkAsync(project, conn, null, records, request, ct);
                await RecordExpander.ExpandAsync(project, conn, null, records, tree, request, ct);
                await RecordEnricher.EnrichAsync(project, records, request);
                w.WriteStartObject();
                w.WritePropertyName("items");
                w.WriteStartArray();
                foreach (var r in records) RecordJsonWriter.Write(w, r, viewer);
                w.WriteEndArray();
            }
            PagedList.WriteCounts(w, q.Window, total);
            w.WriteEndObject();
            return true;
        }, ct);
    }

    /// <summary>One record by id with the view rule in the query; 404 when missing or not allowed, 403 when locked.</summary>
    public static async Task<Record> ViewAsync(Project project, Collection c, string id, string expand, RequestInfo request, CancellationToken ct)
    {
        return await project.Database.ReadAsync(async conn =>
        {
            var rows = await FetchOneAsync(project, conn, null, c, c.ViewRule, id, request, ct);
            if (rows is null) throw ApiError.NotFound();
            await EmailAccess.MarkAsync(project, conn, null, [rows], request, ct);
            await RecordExpander.ExpandAsync(project, conn, null, [rows], ExpandTree.Parse(expand), request, ct);
            return rows;
        }, ct);
    }

    /// <summary>Fetches a record by id with a rule compiled in (throws 403 for a locked rule). Null when not found or not allowed.</summary>
    public static async Task<Record?> FetchOneAsync(Project project, System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction? tx,
        Collection c, string? rule, string id, RequestInfo request, CancellationToken ct)
    {
        if (request.IsSuperuser || rule is { Length: 0 })
        {
            // No rule to compile: the by-id statement is the same every time (and stays prepared).
            return await RecordSql.FindByIdAsync(project.Database, conn, tx, c, id, ct);
        }
        var ctx = RuleQuery.NewContext(project, c, request, clientFilter: false);
        var ruleSql = RuleSql.Condition(rule, ctx);
        var where = $"t.{project.Dialect.Quote("id")} = {ctx.Params.Add(id)}";
        var sql = RuleQuery.BuildSelect(project, c, ctx, where, ruleSql, orderBy: null, limit: 1);
        await using var cmd = project.Database.Command(conn, tx, sql, ctx.Params);
        var list = await RecordSql.ReadAllAsync(c, cmd, ct);
        return list.Count > 0 ? list[0] : null;
    }
}
