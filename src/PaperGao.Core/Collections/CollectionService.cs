using System.Data.Common;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Collections;

/// <summary>
/// Creates, updates, deletes, truncates and imports collections (protocol.md §4.4). Each operation holds the project's
/// schema lock and runs in ONE write transaction: definition, validation against the database, DDL (data kept), and the
/// stored definition; the in-memory snapshot is swapped only after the commit.
/// </summary>
public static partial class CollectionService
{
    public const string CreateFailed = "Failed to create collection.";
    public const string UpdateFailed = "Failed to update collection.";
    public const string ImportFailed = "Failed to import collections.";

    [GeneratedRegex(@"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex NumericText();

    // ------------------------------------------------------------------ create

    public static async Task<Collection> CreateAsync(Project p, JsonObject body, CancellationToken ct = default)
    {
        ApiError Fail(ErrorData e) => ApiError.BadRequest(CreateFailed, e);
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var current = p.Collections;
            var c = BuildNew(body, current, [], Fail, p.Now());
            await p.Database.WriteAsync(async tx =>
            {
                var others = await OtherTablesAsync(p.Database, tx, current, ct);
                if (c.IsView) await InferViewAsync(p, tx, c, null, current, Fail, ct);
                var proposed = new CollectionSet(current.All.Append(c), current.Version + 1);
                var errors = CollectionValidator.Validate(c, null, proposed, others, p.Dialect);
                if (!errors.IsEmpty) throw Fail(errors);
                await CreateStorageAsync(p, tx, c, Fail, ct);
                await CollectionStore.InsertAsync(p.Database, tx, c, ct);
            }, ct);
            p.SetCollections(current.With(c));
            return c;
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    /// <summary>The longest query <c>meta/dry-run-view</c> runs, as PocketBase's.</summary>
    public const int MaxDryRunQueryLength = 5000;

    // ------------------------------------------------------------------ update

    public static async Task<Collection> UpdateAsync(Project p, string idOrName, JsonObject body, CancellationToken ct = default)
    {
        ApiError Fail(ErrorData e) => ApiError.BadRequest(UpdateFailed, e);
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var current = p.Collections;
            var old = current.Find(idOrName) ?? throw ApiError.NotFound();
            var now = p.Now();
            var c = BuildUpdated(old, body, Fail, now, current: current);
            var renamedViews = c.IsView ? new List<Collection>() : ViewsFollowingRename(current, old.Name, c.Name, now);
            await p.Database.WriteAsync(async tx =>
            {
                var others = await OtherTablesAsync(p.Database, tx, current, ct);
                if (c.IsView) await InferViewAsync(p, tx, c, old, current, Fail, ct);
                var proposed = current.With(c);
                foreach (var v in renamedViews) proposed = proposed.With(v);
                var errors = CollectionValidator.Validate(c, old, proposed, others, p.Dialect);
                if (!errors.IsEmpty) throw Fail(errors);
                if (c.IsView)
                {
                    await RebuildViewsAsync(p, tx, current, proposed, Fail, ct, static () => Task.CompletedTask);
                }
                else
                {
                    var plan = SchemaPlanner.PlanUpdate(old, c, p.Dialect);
                    await RunChecksAsync(p, tx, plan, Fail, ct);
                    if (plan.AltersExistingTable)
                        await RebuildViewsAsync(p, tx, current, proposed, Fail, ct, () => RunStatementsAsync(p, tx, plan.Statements, c, Fail, ct));
                }
                await CollectionStore.UpdateAsync(p.Database, tx, c, ct);
                foreach (var v in renamedViews) await CollectionStore.UpdateAsync(p.Database, tx, v, ct);
            }, ct);
            var after = p.Collections.With(c);
            foreach (var v in renamedViews) after = after.With(v);
            p.SetCollections(after);
            return c;
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    /// <summary>Copies of the view collections whose query reads a renamed collection, with the query rewritten (<see cref="ViewQueryRename"/>).</summary>
    private static List<Collection> ViewsFollowingRename(CollectionSet current, string oldName, string newName, string now)
    {
        var result = new List<Collection>();
        if (string.Equals(oldName, newName, StringComparison.Ordinal)) return result;
        foreach (var v in current.All.Where(x => x.IsView && !string.IsNullOrEmpty(x.ViewQuery)))
        {
            var query = ViewQueryRename.Rename(v.ViewQuery!, oldName, newName);
            if (ReferenceEquals(query, v.ViewQuery)) continue;
            var copy = v.Clone();
            copy.ViewQuery = query;
            copy.Updated = now;
            result.Add(copy);
        }
        return result;
    }

    // ------------------------------------------------------------------ delete

    public static async Task DeleteAsync(Project p, string idOrName, CancellationToken ct = default)
    {
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var current = p.Collections;
            var c = current.Find(idOrName) ?? throw ApiError.NotFound();
            if (c.System) throw ApiError.BadRequest("Failed to delete collection: system collections can't be deleted.");
            var referencing = ReferencingCollections(current, c.Id, except: [c.Id]);
            if (referencing.Count > 0)
                throw ApiError.BadRequest($"Failed to delete collection probably due to existing reference in {string.Join(", ", referencing.Select(r => r.Name))}.");
            var proposed = current.Without(c.Id);
            ApiError Fail(ErrorData e) => ApiError.BadRequest("Failed to delete collection.", e);
            await p.Database.WriteAsync(async tx =>
            {
                await RebuildViewsAsync(p, tx, current, proposed, Fail, ct, async () =>
                {
                    if (!c.IsView) await p.Database.ExecuteAsync(tx, $"DROP TABLE IF EXISTS {p.Dialect.Quote(c.Name)}", null, ct);
                });
                await CollectionStore.DeleteAsync(p.Database, tx, c.Id, ct);
            }, ct);
            p.SetCollections(p.Collections.Without(c.Id));
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    // ------------------------------------------------------------------ truncate

    /// <summary>Deletes every record with the record delete semantics (cascades, required references) in one transaction.</summary>
    public static async Task TruncateAsync(Project p, string idOrName, RequestInfo request, CancellationToken ct = default)
    {
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var c = p.Collections.Find(idOrName) ?? throw ApiError.NotFound();
            if (c.IsView) throw ApiError.BadRequest("Unsupported collection type.");
            var req = request.IsSuperuser ? request : new RequestInfo { IsSuperuser = true, Method = "DELETE", Context = "truncate" };
            await RecordWriter.InScope(p, null, async scope =>
            {
                var ids = new List<string>();
                await using (var cmd = p.Database.Command(scope.Connection, scope.Transaction, $"SELECT {p.Dialect.Quote("id")} FROM {p.Dialect.Quote(c.Name)}"))
                await using (var r = await cmd.ExecuteReaderAsync(ct))
                {
                    while (await r.ReadAsync(ct)) ids.Add(r.GetString(0));
                }
                foreach (var id in ids)
                {
                    try
                    {
                        await RecordDeleter.DeleteInScopeAsync(p, c, id, req, scope, ct);
                    }
                    catch (ApiError e) when (e.Status == 404)
                    {
                        // Already removed by a cascade of an earlier delete.
                    }
                }
                return true;
            }, ct);
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    // ------------------------------------------------------------------ import

    /// <summary>All-or-nothing import: existing collections (matched by id, then name) are updated, others created; with deleteMissing, non-system collections not in the list are deleted.</summary>
    public static async Task ImportAsync(Project p, JsonArray items, bool deleteMissing, CancellationToken ct = default)
    {
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var current = p.Collections;
            var plan = PlanImport(current, items, deleteMissing, CollectionImportOptions.Default, p.Now());
            await p.Database.WriteAsync(tx => ApplyImportAsync(p, tx, current, plan, ct), ct);
            p.SetCollections(new CollectionSet(plan.Final, p.Collections.Version + 1));
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    /// <summary>
    /// The import inside a transaction the caller owns (moving a whole project in, e.g. from PocketBase): the caller holds
    /// <see cref="Project.SchemaLock"/>, passes the collections the database holds at this point of the transaction, and
    /// swaps the returned set in with <see cref="Project.SetCollections"/> only after its commit.
    /// </summary>
    public static async Task<CollectionSet> ImportInTransactionAsync(Project p, DbTransaction tx, CollectionSet current, JsonArray items,
        bool deleteMissing, CollectionImportOptions options, CancellationToken ct = default)
    {
        var plan = PlanImport(current, items, deleteMissing, options, p.Now());
        await ApplyImportAsync(p, tx, current, plan, ct);
        return new CollectionSet(plan.Final, current.Version + 1);
    }

    private sealed record ImportPlan(List<(int Index, Collection C, Collection? Old)> Entries, List<Collection> ToDelete, List<Collection> Final);

    private static ImportPlan PlanImport(CollectionSet current, JsonArray items, bool deleteMissing, CollectionImportOptions options, string now)
    {
        if (items.Count == 0) throw ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", FieldError.Required()));
        var entries = new List<(int Index, Collection C, Collection? Old)>();
        var itemErrors = new ErrorData();
        var taken = new List<Collection>();
        for (var i = 0; i < items.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            ApiError ItemFail(ErrorData e) => ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", new ErrorData().Add(key, e)));
            if (items[i] is not JsonObject body)
            {
                itemErrors.Add(key, new FieldError("validation_invalid_value", "Must be a collection object."));
                continue;
            }
            try
            {
                var id = body["id"] is JsonValue iv && iv.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
                var name = body["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n.Trim() : null;
                var old = (id is not null ? current.FindById(id) : null) ?? (name is not null && id is null ? current.FindByName(name) : null);
                if (old is not null && entries.Exists(e => e.Old?.Id == old.Id))
                    throw ItemFail(new ErrorData().Add("id", new FieldError("validation_not_unique", "The collection is listed more than once.")));
                var c = old is null ? BuildNew(body, current, taken, ItemFail, now, options) : BuildUpdated(old, body, ItemFail, now, options);
                taken.Add(c);
                entries.Add((i, c, old));
            }
            catch (ApiError e) when (e.Status == 400 && e.Details["collections"] is ErrorData nested && nested[key] is ErrorData inner)
            {
                itemErrors.Add(key, inner);
            }
        }
        if (!itemErrors.IsEmpty) throw ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", itemErrors));

        var importedIds = entries.Select(e => e.C.Id).ToHashSet(StringComparer.Ordinal);
        var toDelete = deleteMissing ? current.All.Where(x => !importedIds.Contains(x.Id) && !x.System).ToList() : [];
        var deletedIds = toDelete.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var final = current.All.Where(x => !deletedIds.Contains(x.Id) && !importedIds.Contains(x.Id)).Concat(entries.Select(e => e.C)).ToList();
        return new ImportPlan(entries, toDelete, final);
    }

    private static async Task ApplyImportAsync(Project p, DbTransaction tx, CollectionSet current, ImportPlan plan, CancellationToken ct)
    {
        var (entries, toDelete, final) = plan;
        var others = await OtherTablesAsync(p.Database, tx, current, ct);
        var proposed = new CollectionSet(final, current.Version + 1);
        var errors = new ErrorData();
        // Views first get their fields inferred after the tables exist; validate the others now.
        foreach (var (i, c, old) in entries.Where(e => !e.C.IsView))
        {
            errors.Add(i.ToString(CultureInfo.InvariantCulture), CollectionValidator.Validate(c, old, proposed, others, p.Dialect));
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", errors));

        await RebuildViewsAsync(p, tx, current, proposed, ImportFail, ct, async () =>
        {
            foreach (var d in toDelete.Where(x => !x.IsView))
                await p.Database.ExecuteAsync(tx, $"DROP TABLE IF EXISTS {p.Dialect.Quote(d.Name)}", null, ct);
            foreach (var (i, c, old) in entries.Where(e => !e.C.IsView))
            {
                var key = i.ToString(CultureInfo.InvariantCulture);
                ApiError ItemFail(ErrorData e) => ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", new ErrorData().Add(key, e)));
                if (old is null)
                {
                    await CreateStorageAsync(p, tx, c, ItemFail, ct);
                }
                else
                {
                    var schemaPlan = SchemaPlanner.PlanUpdate(old, c, p.Dialect);
                    await RunChecksAsync(p, tx, schemaPlan, ItemFail, ct);
                    await RunStatementsAsync(p, tx, schemaPlan.Statements, c, ItemFail, ct);
                }
            }
            await InferImportedViewsAsync(p, tx, entries.Where(e => e.C.IsView).ToList(), proposed, others, ct);
        });

        foreach (var d in toDelete) await CollectionStore.DeleteAsync(p.Database, tx, d.Id, ct);
        foreach (var (_, c, old) in entries)
        {
            if (old is null) await CollectionStore.InsertAsync(p.Database, tx, c, ct);
            else await CollectionStore.UpdateAsync(p.Database, tx, c, ct);
        }

        static ApiError ImportFail(ErrorData e) => ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", e));
    }

    /// <summary>
    /// Infers the fields of the imported views. A view may read another imported view, so each one is created right after
    /// its inference (in a savepoint) and the ones that fail are retried while others make progress; they are dropped again
    /// at the end, for <see cref="RebuildViewsAsync"/> creates every view of the final set.
    /// </summary>
    private static async Task InferImportedViewsAsync(Project p, DbTransaction tx, List<(int Index, Collection C, Collection? Old)> views,
        CollectionSet proposed, IReadOnlySet<string> others, CancellationToken ct)
    {
        var pending = views.ToList();
        var created = new List<Collection>();
        while (pending.Count > 0)
        {
            ApiError? last = null;
            var before = pending.Count;
            foreach (var entry in pending.ToList())
            {
                var (i, c, old) = entry;
                var key = i.ToString(CultureInfo.InvariantCulture);
                ApiError ItemFail(ErrorData e) => ApiError.BadRequest(ImportFailed, new ErrorData().Add("collections", new ErrorData().Add(key, e)));
                await p.Database.ExecuteAsync(tx, "SAVEPOINT import_view", null, ct);
                try
                {
                    await InferViewAsync(p, tx, c, old, proposed, ItemFail, ct);
                    var viewErrors = CollectionValidator.Validate(c, old, proposed, others, p.Dialect);
                    if (!viewErrors.IsEmpty) throw ItemFail(viewErrors);
                    await ExecuteDdlAsync(p, tx, ViewSchema.CreateViewSql(c, p.Dialect), c, ItemFail, ct, viewKey: "viewQuery");
                    await p.Database.ExecuteAsync(tx, "RELEASE SAVEPOINT import_view", null, ct);
                    pending.Remove(entry);
                    created.Add(c);
                }
                catch (ApiError e)
                {
                    await p.Database.ExecuteAsync(tx, "ROLLBACK TO SAVEPOINT import_view", null, ct);
                    await p.Database.ExecuteAsync(tx, "RELEASE SAVEPOINT import_view", null, ct);
                    last = e;
                }
            }
            if (pending.Count == before && last is not null) throw last;
        }
        created.Reverse();
        foreach (var v in created) await p.Database.ExecuteAsync(tx, p.Dialect.DropViewSql(v.Name), null, ct);
    }

    // ------------------------------------------------------------------ dry-run view

    /// <summary>The fields a view query would get and up to 10 sample records, computed in a transaction that is rolled back.</summary>
    public static async Task<(Collection View, List<Record> Sample)> DryRunViewAsync(Project p, string? query, CancellationToken ct = default)
    {
        // As PocketBase: a missing or oversized query is a field error; anything the query itself does wrong is reported
        // with the database's words ("Raw error: ...") and no field data.
        static ApiError Raw(string detail) => ApiError.BadRequest("Failed to run the view query. Raw error: " + detail);
        static ApiError Fail(ErrorData e) => Raw(string.Join("; ", e.Items.Select(i => i.Value is FieldError f ? f.Message : i.Key)));
        // PocketBase's dry-run takes queries up to 5000 characters (a field error beyond).
        if ((query ?? "").Trim().Length > MaxDryRunQueryLength)
            throw ApiError.BadRequest("Failed to run the view query.", new ErrorData().Add("query",
                new FieldError("validation_length_out_of_range", $"The length must be between 1 and {MaxDryRunQueryLength}.")));
        if (!ViewSchema.TryNormalize(query, out var q, out var error))
        {
            if (string.IsNullOrWhiteSpace(query) || query.Trim().Length > ViewSchema.MaxQueryLength)
                throw ApiError.BadRequest("Failed to run the view query.", new ErrorData().Add("query", new FieldError("validation_invalid_view_query", error)));
            throw Raw(error);
        }
        var current = p.Collections;
        try
        {
            await p.Database.WriteAsync<bool>(async tx =>
            {
                var view = new Collection { Name = "dry_run", Type = CollectionType.View, ViewQuery = q };
                view.Fields = await ViewSchema.InferFieldsAsync(p.Database, tx, q, current, null, Fail, "query", ct);
                List<Record> sample;
                try
                {
                    await using var cmd = p.Database.Command(tx.Connection!, tx, ViewSchema.SelectSql(view, p.Dialect) + " LIMIT 10");
                    sample = await RecordSql.ReadAllAsync(view, cmd, ct);
                }
                catch (DbException ex)
                {
                    throw Raw("The view query failed: " + ViewSchema.FirstLine(ex.Message));
                }
                // A view's records need an id each, unique: the sample shows whether the query gives them.
                if (sample.Any(r => r.Id.Length == 0)) throw Raw("The view query returns rows without an id.");
                if (sample.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != sample.Count) throw Raw("The view query returns the same id more than once.");
                throw new DryRunResult(view, sample);
            }, ct);
        }
        catch (DryRunResult r)
        {
            return (r.View, r.Sample);
        }
        throw new InvalidOperationException("unreachable");
    }

    private sealed class DryRunResult(Collection view, List<Record> sample) : Exception("dry run (rolled back)")
    {
        public Collection View { get; } = view;
        public List<Record> Sample { get; } = sample;
    }

    // ------------------------------------------------------------------ building definitions

    /// <summary>The scaffold of the submitted type and name, the body applied on top, ids, timestamps, system fields and auth indexes.</summary>
    private static Collection BuildNew(JsonObject body, CollectionSet current, IReadOnlyList<Collection> alsoTaken, Func<ErrorData, ApiError> fail, string now,
        CollectionImportOptions? options = null)
    {
        var errors = new ErrorData();
        var type = CollectionType.Base;
        if (body.TryGetPropertyValue("type", out var typeNode) && typeNode is not null)
        {
            if (typeNode is not JsonValue tv || !tv.TryGetValue<string>(out var ts) || !CollectionTypes.TryParse(ts, out type))
                errors.Add("type", new FieldError("validation_in_invalid", "Must be one of base, auth, view."));
        }
        var name = body["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n.Trim() : "";
        var c = CollectionScaffolds.Create(type, name);
        CollectionJson.Apply(c, body, errors, allowSecrets: options?.KeepSecrets == true);
        if (body.TryGetPropertyValue("id", out var idNode) && idNode is not null && (idNode is not JsonValue iv || !iv.TryGetValue<string>(out _)))
            errors.Add("id", new FieldError("validation_invalid_value", "Must be a string."));
        if (!errors.IsEmpty) throw fail(errors);

        var submittedId = body["id"] is JsonValue v && v.TryGetValue<string>(out var sid) ? sid.Trim() : "";
        if (submittedId.Length > 0)
        {
            c.Id = submittedId;
            if (current.FindById(c.Id) is not null || alsoTaken.Any(x => x.Id == c.Id))
                throw fail(new ErrorData().Add("id", new FieldError("validation_not_unique", "Value must be unique.")));
        }
        else
        {
            var baseId = CollectionScaffolds.CollectionId(c.Type, c.Name);
            c.Id = baseId;
            for (var i = 2; current.FindById(c.Id) is not null || alsoTaken.Any(x => x.Id == c.Id); i++)
                c.Id = baseId + i.ToString(CultureInfo.InvariantCulture);
        }
        c.System = false;
        c.Created = c.Updated = now;
        if (options?.KeepMetadata == true) KeepMetadata(c, body, isNew: true);
        if (c.IsAuth) AddMissingAuthFields(c);
        PrepareFields(c, null);
        NormalizeIndexes(c);
        return c;
    }

    /// <summary>A clone of the stored collection with the body applied (id, type, system and created stay).</summary>
    private static Collection BuildUpdated(Collection old, JsonObject body, Func<ErrorData, ApiError> fail, string now, CollectionImportOptions? options = null, CollectionSet? current = null)
    {
        var errors = new ErrorData();
        if (body.TryGetPropertyValue("type", out var typeNode) && typeNode is not null)
        {
            if (typeNode is not JsonValue tv || !tv.TryGetValue<string>(out var ts) || !CollectionTypes.TryParse(ts, out var type))
                errors.Add("type", new FieldError("validation_in_invalid", "Must be one of base, auth, view."));
            else if (type != old.Type)
                errors.Add("type", new FieldError("validation_collection_type_change", "The collection type can't be changed."));
        }
        var c = old.Clone();
        CollectionJson.Apply(c, body, errors, allowSecrets: options?.KeepSecrets == true);
        // The type error stops here; as PocketBase, a name clash is reported with it rather than after it is fixed.
        if (errors.Contains("type") && !errors.Contains("name") && current is not null
            && current.All.Any(x => x.Id != old.Id && string.Equals(x.Name, c.Name, StringComparison.OrdinalIgnoreCase)))
            errors.Add("name", CollectionValidator.NameExists());
        if (!errors.IsEmpty) throw fail(errors);
        c.Updated = now;
        if (options?.KeepMetadata == true) KeepMetadata(c, body, isNew: false);
        PrepareFields(c, old, keepStoredId: options is not null);
        NormalizeIndexes(c);
        if (c.Auth is { } a && old.Auth is { } oa && a.AuthRule != oa.AuthRule && options?.KeepSecrets != true)
        {
            // Changing authRule invalidates every issued auth token (protocol.md §3.10).
            a.AuthToken = a.AuthToken with { Secret = RandomString.Alphanumeric(50) };
        }
        return c;
    }

    /// <summary>An imported definition keeps its system flag (new collections only) and its created/updated times.</summary>
    private static void KeepMetadata(Collection c, JsonObject body, bool isNew)
    {
        if (isNew && body["system"] is JsonValue sv && sv.TryGetValue<bool>(out var sys)) c.System = sys;
        if (body["created"] is JsonValue cv && cv.TryGetValue<string>(out var created) && created.Length > 0) c.Created = created;
        if (body["updated"] is JsonValue uv && uv.TryGetValue<string>(out var updated) && updated.Length > 0) c.Updated = updated;
    }

    /// <summary>
    /// Auth collections always get their system fields, even when the body's field list omits them. As PocketBase: the
    /// id field first, then the submitted fields, then the missing auth fields; a submitted auth field of the right
    /// type keeps its options but is system, and hidden and required where the default one is.
    /// </summary>
    private static void AddMissingAuthFields(Collection c)
    {
        var scaffold = CollectionScaffolds.Create(CollectionType.Auth, c.Name);
        foreach (var f in scaffold.Fields)
        {
            if (!CollectionValidator.AuthSystemFields.Contains(f.Name)) continue;
            var existing = c.Fields.Find(x => string.Equals(x.Name, f.Name, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
            {
                if (f.Name == "id") c.Fields.Insert(0, f);
                else c.Fields.Add(f);
                continue;
            }
            if (existing.Type != f.Type) continue; // the validator reports it
            existing.System = true;
            existing.Hidden |= f.Hidden;
            if (existing is TextField et && f is TextField ft) et.Required |= ft.Required;
            if (existing is PasswordField ep && f is PasswordField fp) ep.Required |= fp.Required;
            if (existing is EmailField ee && f is EmailField fe) ee.Required |= fe.Required;
        }
    }

    /// <summary>Adds the id field when missing and gives fields without an id the id of the stored field of that name, else the default id.</summary>
    private static void PrepareFields(Collection c, Collection? old, bool keepStoredId = false)
    {
        // A field list without the id field gets the default one, as PocketBase's update does: when the stored id field
        // has another field id, that is a removed system field the validator refuses. An imported definition that omits
        // it keeps the stored one (PocketBase's import extends the definition with the existing system fields).
        if (!c.IsView && !c.Fields.Exists(f => f.Name == "id"))
        {
            var stored = keepStoredId ? old?.Fields.Find(f => f.Name == "id" && !c.Fields.Exists(x => x.Id == f.Id)) : null;
            c.Fields.Insert(0, stored?.Clone() ?? TextField.CreateIdField());
        }
        foreach (var f in c.Fields)
        {
            if (f.Id.Length > 0) continue;
            var prev = old?.Fields.Find(o => string.Equals(o.Name, f.Name, StringComparison.OrdinalIgnoreCase));
            f.Id = prev is not null && c.FindFieldById(prev.Id) is null ? prev.Id : FieldIds.For(f.Type, f.Name);
        }
    }

    /// <summary>Index texts normalized to the collection name (so they follow renames); auth collections keep their unique indexes.</summary>
    private static void NormalizeIndexes(Collection c)
    {
        if (c.IsAuth)
        {
            foreach (var required in CollectionScaffolds.AuthIndexes(c))
            {
                if (!IndexDefinition.TryParse(required, out var r, out _) || r is null) continue;
                var present = c.Indexes.Any(t => IndexDefinition.TryParse(t, out var d, out _) && d is not null
                    && (string.Equals(d.Name, r.Name, StringComparison.OrdinalIgnoreCase)
                        || (d.Unique && d.Columns.Count == 1 && string.Equals(d.Columns[0].Column, r.Columns[0].Column, StringComparison.OrdinalIgnoreCase))));
                if (!present) c.Indexes.Add(required);
            }
        }
        for (var i = 0; i < c.Indexes.Count; i++)
        {
            if (IndexDefinition.TryParse(c.Indexes[i], out var d, out _) && d is not null) c.Indexes[i] = d.ToText(c.Name);
        }
    }

    // ------------------------------------------------------------------ database work

    private static async Task InferViewAsync(Project p, DbTransaction tx, Collection c, Collection? old, CollectionSet all, Func<ErrorData, ApiError> fail, CancellationToken ct)
    {
        if (!ViewSchema.TryNormalize(c.ViewQuery, out var q, out var error))
            throw fail(new ErrorData().Add("viewQuery", new FieldError("validation_invalid_view_query", error)));
        c.ViewQuery = q;
        c.Indexes = c.Indexes.Count == 0 ? [] : c.Indexes;
        c.Fields = await ViewSchema.InferFieldsAsync(p.Database, tx, q, all, old, fail, "viewQuery", ct);
    }

    /// <summary>Creates the table (with indexes) or, for a view collection, nothing: views are (re)created by <see cref="RebuildViewsAsync"/> or here when alone.</summary>
    private static async Task CreateStorageAsync(Project p, DbTransaction tx, Collection c, Func<ErrorData, ApiError> fail, CancellationToken ct)
    {
        if (c.IsView)
        {
            await ExecuteDdlAsync(p, tx, ViewSchema.CreateViewSql(c, p.Dialect), c, fail, ct, viewKey: "viewQuery");
            return;
        }
        await RunStatementsAsync(p, tx, SchemaPlanner.PlanCreate(c, p.Dialect).Statements, c, fail, ct);
    }

    /// <summary>
    /// Drops the SQL views of every view collection, runs the work (which may alter tables the views read), then creates
    /// the views of the proposed set again (in creation order, retrying those that depend on later ones). A view that can no
    /// longer be created makes the whole change a 400 naming it.
    /// </summary>
    private static async Task RebuildViewsAsync(Project p, DbTransaction tx, CollectionSet current, CollectionSet proposed,
        Func<ErrorData, ApiError> fail, CancellationToken ct, Func<Task> work)
    {
        var d = p.Dialect;
        foreach (var v in current.All.Where(x => x.IsView))
            await p.Database.ExecuteAsync(tx, d.DropViewSql(v.Name), null, ct);
        await work();
        var pending = proposed.All.Where(x => x.IsView).OrderBy(x => x.Created, StringComparer.Ordinal).ToList();
        var lastError = new Dictionary<string, string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var progress = false;
            foreach (var v in pending.ToList())
            {
                await p.Database.ExecuteAsync(tx, "SAVEPOINT pg_view", null, ct);
                try
                {
                    await p.Database.ExecuteAsync(tx, ViewSchema.CreateViewSql(v, d), null, ct);
                    // SQLite accepts views over missing tables: run it once so a broken view is caught now.
                    await using (var probe = p.Database.Command(tx.Connection!, tx, $"SELECT * FROM {d.Quote(v.Name)} LIMIT 0"))
                    await using (var r = await probe.ExecuteReaderAsync(ct)) { }
                    await p.Database.ExecuteAsync(tx, "RELEASE SAVEPOINT pg_view", null, ct);
                    pending.Remove(v);
                    progress = true;
                }
                catch (DbException ex)
                {
                    await p.Database.ExecuteAsync(tx, "ROLLBACK TO SAVEPOINT pg_view", null, ct);
                    await p.Database.ExecuteAsync(tx, "RELEASE SAVEPOINT pg_view", null, ct);
                    lastError[v.Id] = ViewSchema.FirstLine(ex.Message);
                }
            }
            if (!progress) break;
        }
        if (pending.Count > 0)
        {
            var v = pending[0];
            var names = string.Join(", ", pending.Select(x => x.Name));
            throw fail(new ErrorData().Add("viewQuery", new FieldError("validation_view_dependency",
                $"The change breaks the view collection(s) {names}: {lastError.GetValueOrDefault(v.Id, "the query no longer runs")}.")));
        }
    }

    private static async Task RunChecksAsync(Project p, DbTransaction tx, SchemaPlan plan, Func<ErrorData, ApiError> fail, CancellationToken ct)
    {
        var fieldErrors = new ErrorData();
        foreach (var check in plan.Checks)
        {
            long blocking = 0;
            if (check.Kind == DataCheckKind.Count)
            {
                blocking = Convert.ToInt64(await p.Database.ScalarAsync(tx.Connection!, tx, check.Sql, null, ct), CultureInfo.InvariantCulture);
            }
            else
            {
                await using var cmd = p.Database.Command(tx.Connection!, tx, check.Sql);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    var s = r.IsDBNull(0) ? "" : Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)?.Trim() ?? "";
                    if (s.Length > 0 && !(NumericText().IsMatch(s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var dv) && double.IsFinite(dv))) blocking++;
                }
            }
            if (blocking > 0)
            {
                fieldErrors.Add(check.FieldIndex.ToString(CultureInfo.InvariantCulture), new ErrorData().Add(check.OptionKey,
                    new FieldError("validation_data_conflict",
                        $"Can't change the field \"{check.FieldName}\": {blocking} record(s) {check.Problem}.",
                        new Dictionary<string, object?> { ["field"] = check.FieldName, ["records"] = blocking })));
            }
        }
        if (!fieldErrors.IsEmpty) throw fail(new ErrorData().Add("fields", fieldErrors));
    }

    private static async Task RunStatementsAsync(Project p, DbTransaction tx, IEnumerable<string> statements, Collection c, Func<ErrorData, ApiError> fail, CancellationToken ct)
    {
        foreach (var sql in statements) await ExecuteDdlAsync(p, tx, sql, c, fail, ct, viewKey: null);
    }

    /// <summary>Runs one DDL statement; a failing CREATE INDEX (e.g. duplicate values for a UNIQUE index) is reported under indexes.N.</summary>
    private static async Task ExecuteDdlAsync(Project p, DbTransaction tx, string sql, Collection c, Func<ErrorData, ApiError> fail, CancellationToken ct, string? viewKey)
    {
        try
        {
            await p.Database.ExecuteAsync(tx, sql, null, ct);
        }
        catch (DbException ex)
        {
            var message = ViewSchema.FirstLine(ex.Message);
            if (viewKey is not null)
                throw fail(new ErrorData().Add(viewKey, new FieldError("validation_invalid_view_query", "The view can't be created: " + message)));
            for (var i = 0; i < c.Indexes.Count; i++)
            {
                if (IndexDefinition.TryParse(c.Indexes[i], out var idx, out _) && idx is not null && sql.StartsWith("CREATE", StringComparison.Ordinal)
                    && sql.Contains(" INDEX " + p.Dialect.Quote(idx.Name) + " ", StringComparison.Ordinal))
                {
                    var text = p.Dialect.IsUniqueViolation(ex, out _, out _) || idx.Unique
                        ? "The index can't be created: existing records hold duplicate values."
                        : "The index can't be created: " + message;
                    throw fail(new ErrorData().Add("indexes", new ErrorData().Add(i.ToString(CultureInfo.InvariantCulture), new FieldError("validation_invalid_index", text))));
                }
            }
            throw fail(new ErrorData().Add("schema", new FieldError("validation_schema_change", "The database refused the change: " + message)));
        }
    }

    /// <summary>Lower-cased names of the tables and views in the database that are not collections (system tables and anything else).</summary>
    private static async Task<IReadOnlySet<string>> OtherTablesAsync(ProjectDatabase db, DbTransaction tx, CollectionSet current, CancellationToken ct)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = db.Command(tx.Connection!, tx, db.Dialect.ListTablesSql))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) names.Add(r.GetString(0).ToLowerInvariant());
        }
        foreach (var c in current.All) names.Remove(c.Name.ToLowerInvariant());
        return names;
    }

    /// <summary>Collections with a relation field pointing to the given collection.</summary>
    public static List<Collection> ReferencingCollections(CollectionSet set, string collectionId, IReadOnlyCollection<string> except) =>
        [.. set.All.Where(x => !except.Contains(x.Id) && x.Fields.OfType<RelationField>().Any(r => r.CollectionId == collectionId))];
}
