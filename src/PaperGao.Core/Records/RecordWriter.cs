using System.Data.Common;
using System.Text.Json.Nodes;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;
using PaperGao.Core.Rules;

namespace PaperGao.Core.Records;

/// <summary>
/// The one write pipeline for records (API, batch, CLI; later functions and imports): apply the body, validate,
/// then inside the transaction run the Before hook, the SQL and the rule check; the After hook runs after commit.
/// </summary>
public static class RecordWriter
{
    /// <param name="uploads">Files submitted with the body (multipart parts, completed tus uploads); written only if everything passes.</param>
    public static Task<Record> CreateAsync(Project p, Collection c, JsonObject body, RequestInfo req, WriteScope? scope = null, CancellationToken ct = default, RecordUploads? uploads = null)
    {
        uploads ??= RecordUploads.None;
        return scope is null && PreparedWrite.IsWorthIt(c, body, uploads, c.CreateRule, req)
            ? WithPreparedAsync(p, c, body, uploads, null, req, pw => InScope(p, null, s => CreateInScopeAsync(p, c, body, uploads, req, s, ct, pw), ct, singleWrite: true), ct)
            : InScope(p, scope, s => CreateInScopeAsync(p, c, body, uploads, req, s, ct), ct, singleWrite: true);
    }

    public static Task<Record> UpdateAsync(Project p, Collection c, string id, JsonObject body, RequestInfo req, WriteScope? scope = null, CancellationToken ct = default, RecordUploads? uploads = null)
    {
        uploads ??= RecordUploads.None;
        if (scope is null && PreparedWrite.IsWorthIt(c, body, uploads, c.UpdateRule, req))
            return WithPreparedAsync(p, c, body, uploads, id, req, pw => InScope(p, null, s => UpdateInScopeAsync(p, c, id, body, uploads, req, s, ct, pw), ct, singleWrite: true), ct);
        return scope is null && CanUpdateUnlocked(p, c, req)
            ? UpdateIfUnchangedAsync(p, c, id, body, uploads, req, ct)
            : InScope(p, scope, s => UpdateInScopeAsync(p, c, id, body, uploads, req, s, ct), ct, singleWrite: true);
    }

    /// <summary>
    /// An update in a transaction of its own may read its record before that transaction, without a lock, when the
    /// database can tell whether the row was written since (<see cref="Data.ISqlDialect.RowVersion"/>) and nothing of the
    /// project's own runs in the write (a BeforeUpdate handler would run twice when the update is done again). A caller
    /// a null rule refuses is answered 403 before anything is read (never 404 for a record that exists).
    /// </summary>
    private static bool CanUpdateUnlocked(Project p, Collection c, RequestInfo req) =>
        p.Dialect.RowVersion is not null && !c.IsView && (c.UpdateRule is not null || req.IsSuperuser)
        && !p.Hooks.BeforeUpdate.HasHandlers;

    /// <summary>
    /// The update without a row lock (PostgreSQL): the record and its row version are read over the shared pool, and the
    /// transaction writes it only if the row is still that version, so it is BEGIN, UPDATE and COMMIT in one round trip
    /// instead of a locking read and a second trip. When another transaction wrote the row in between, nothing is
    /// written and the update runs again the locking way, on that transaction's result (no lost update).
    /// </summary>
    private static async Task<Record> UpdateIfUnchangedAsync(Project p, Collection c, string id, JsonObject body, RecordUploads uploads, RequestInfo req, CancellationToken ct)
    {
        var read = await RecordSql.FindVersionedAsync(p.Database, c, id, ct) ?? throw ApiError.NotFound();
        try
        {
            return await InScope(p, null, s => UpdateInScopeAsync(p, c, id, body, uploads, req, s, ct, read: read), ct, singleWrite: true);
        }
        catch (RowChangedException)
        {
            return await InScope(p, null, s => UpdateInScopeAsync(p, c, id, body, uploads, req, s, ct), ct, singleWrite: true);
        }
    }

    /// <summary>
    /// A write in its own transaction whose slow work (bcrypt, file uploads) is done before it, so SQLite's single writer
    /// is not held by it; the stored files the write did not keep (all of them when it failed) are deleted afterwards.
    /// </summary>
    private static async Task<Record> WithPreparedAsync(Project p, Collection c, JsonObject body, RecordUploads uploads, string? id, RequestInfo req,
        Func<PreparedWrite, Task<Record>> write, CancellationToken ct)
    {
        var prepared = await PreparedWrite.PrepareAsync(p, c, body, uploads, id, req.IsSuperuser, ct);
        Record saved;
        try
        {
            saved = await write(prepared);
        }
        catch
        {
            await prepared.CleanUpAsync(p, c, null);
            throw;
        }
        await prepared.CleanUpAsync(p, c, saved);
        return saved;
    }

    public static Task DeleteAsync(Project p, Collection c, string id, RequestInfo req, WriteScope? scope = null, CancellationToken ct = default) =>
        InScope(p, scope, async s => { await RecordDeleter.DeleteInScopeAsync(p, c, id, req, s, ct); return true; }, ct);

    /// <summary>
    /// Runs work in the given scope, or in a new transaction whose after-commit work runs once it commits
    /// (and whose rollback work runs when it does not).
    /// </summary>
    public static Task<T> InScope<T>(Project p, WriteScope? scope, Func<WriteScope, Task<T>> work, CancellationToken ct) =>
        InScope(p, scope, work, ct, singleWrite: false);

    /// <param name="singleWrite">The work is one record write (<see cref="WriteScope.SingleWrite"/>) when it gets a transaction of its own.</param>
    private static async Task<T> InScope<T>(Project p, WriteScope? scope, Func<WriteScope, Task<T>> work, CancellationToken ct, bool singleWrite)
    {
        if (scope is not null) return await scope.InsideAsync(work);
        WriteScope? own = null;
        T result;
        try
        {
            result = await p.Database.WriteAsync(async tx =>
            {
                own = new WriteScope(tx) { SingleWrite = singleWrite };
                return await work(own);
            }, ct);
        }
        catch (Exception ex)
        {
            if (own is not null)
            {
                own.Failure = ex;
                await own.RunRollbackAsync(p.Hooks.ReportAfterCommitError);
            }
            throw;
        }
        await own!.RunAfterCommitAsync(p.Hooks.ReportAfterCommitError);
        return result;
    }

    private static async Task<Record> CreateInScopeAsync(Project p, Collection c, JsonObject body, RecordUploads uploads, RequestInfo req, WriteScope scope, CancellationToken ct,
        PreparedWrite? prepared = null)
    {
        if (c.IsView) throw ApiError.BadRequest("Unsupported collection type.");
        if (c.CreateRule is null && !req.IsSuperuser) throw ApiError.SuperusersOnly();
        var record = new Record(c);
        foreach (var f in c.Fields) record.Values[f.Name] = f.ZeroValue;
        if (prepared?.Id is { } preparedId) record.Values["id"] = preparedId; // the body's id, if any, still applies

        var errors = new ErrorData();
        var ruleBody = RecordInputApplier.Apply(record, body, isNew: true, req.IsSuperuser, errors);
        var files = ApplyUploads(record, body, uploads, null, ruleBody, req.IsSuperuser, errors);
        // A non-superuser asking for verified=true keeps it only if the manageRule matches the new row (checked after the insert).
        var wantsManage = c.IsAuth && !req.IsSuperuser && req.Auth is not null && !string.IsNullOrWhiteSpace(c.Auth?.ManageRule)
            && body["verified"] is JsonValue wv && wv.TryGetValue<bool>(out var wb) && wb;
        var beforeForm = errors.Count;
        if (c.IsAuth) AuthRecordRules.OnCreate(record, body, req.IsSuperuser || wantsManage, errors);
        // As PocketBase: the auth form's errors are answered alone; the record's field errors come together after them
        // (with the values the body could not be read as, which are field errors too).
        if (errors.Count > beforeForm) throw ApiError.BadRequest("Failed to create record.", errors);
        var now = p.Now();
        foreach (var f in c.Fields) record.Values[f.Name] = f.PrepareForSave(record.Values.GetValueOrDefault(f.Name), isNew: true, now);
        Validate(record, null, files, errors);
        await RecordChecks.RelationsExistAsync(p, scope, record, null, errors, ct);
        if (c.IsAuth) await RecordChecks.AuthIdUniqueAsync(p, scope, record, errors, ct);
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to create record.", errors);
        await HashPasswordsAsync(record, prepared, ct);

        var e = new RecordEvent(p, c, record, req) { Scope = scope };
        scope.OnRollback(() => AfterErrorAsync(p.Hooks.AfterCreateError, e, scope));
        var ran = await p.Hooks.BeforeCreate.TriggerCheckedAsync(e, async () =>
        {
            if (p.Hooks.BeforeCreate.HasHandlers) Revalidate(e.Record, "Failed to create record.");
            // The INSERT may go with the COMMIT when nothing reads or writes through the transaction after it: no hook
            // around it, no rule to check on the new row, no file to store.
            var last = scope.OwnSingleWrite && !p.Hooks.BeforeCreate.HasHandlers && files.New.Count == 0 && !wantsManage
                       && (req.IsSuperuser || string.IsNullOrWhiteSpace(c.CreateRule));
            await InsertAsync(p, scope, e.Record, "Failed to create record.", last, ct);
            if (!req.IsSuperuser && !string.IsNullOrWhiteSpace(c.CreateRule)
                && !await MatchesRuleAsync(p, scope.Connection, scope.Transaction, c, c.CreateRule, e.Record.Id, req.With(body: ruleBody), ct))
            {
                throw ApiError.BadRequest("Failed to create record.");
            }
            if (wantsManage && !await MatchesRuleAsync(p, scope.Connection, scope.Transaction, c, c.Auth!.ManageRule!, e.Record.Id, req.With(body: ruleBody), ct))
            {
                var denied = new ErrorData();
                denied.Add("verified", new FieldError("validation_values_mismatch", "Only superusers (or callers the manageRule allows) can change the verified state."));
                throw ApiError.BadRequest("Failed to create record.", denied);
            }
            await RecordFiles.WriteAsync(p, e.Record, files, scope, ct, prepared);
        });
        if (!ran) throw StoppedByHook(e, "Failed to create record.");
        await SucceededAsync(p.Hooks.AfterCreate, e, "create", ct);
        return e.Record;
    }

    /// <param name="read">The record as read before the transaction, and its row version (<see cref="UpdateIfUnchangedAsync"/>).</param>
    private static async Task<Record> UpdateInScopeAsync(Project p, Collection c, string id, JsonObject body, RecordUploads uploads, RequestInfo req, WriteScope scope, CancellationToken ct,
        PreparedWrite? prepared = null, VersionedRecord? read = null)
    {
        if (c.IsView) throw ApiError.BadRequest("Unsupported collection type.");
        if (c.UpdateRule is null && !req.IsSuperuser) throw ApiError.SuperusersOnly();
        // Locked until the commit (unless read with its version): a concurrent update of the record (an increment "views+",
        // another field) waits and then reads this one's result, instead of writing back what it read before (a lost update
        // on PostgreSQL).
        var original = read?.Row ?? await RecordSql.FindByIdAsync(p.Database, scope.Connection, scope.Transaction, c, id, ct, lockRow: true) ?? throw ApiError.NotFound();
        var record = original.Clone();
        var errors = new ErrorData();
        var ruleBody = RecordInputApplier.Apply(record, body, isNew: false, req.IsSuperuser, errors);
        var files = ApplyUploads(record, body, uploads, original, ruleBody, req.IsSuperuser, errors);
        if (!req.IsSuperuser && !string.IsNullOrWhiteSpace(c.UpdateRule)
            && !await MatchesRuleAsync(p, scope.Connection, scope.Transaction, c, c.UpdateRule, id, req.With(body: ruleBody), ct))
        {
            throw ApiError.NotFound();
        }
        if (c.IsAuth)
        {
            var canManage = req.IsSuperuser || await CanManageAsync(p, scope, c, id, req.With(body: ruleBody), ct);
            var beforeForm = errors.Count;
            await AuthRecordRules.OnUpdateAsync(original, record, body, canManage, errors, ct);
            if (errors.Count > beforeForm) throw ApiError.BadRequest("Failed to update record.", errors);
        }
        var now = p.Now();
        foreach (var f in c.Fields) record.Values[f.Name] = f.PrepareForSave(record.Values.GetValueOrDefault(f.Name), isNew: false, now);
        Validate(record, original, files, errors);
        await RecordChecks.RelationsExistAsync(p, scope, record, original, errors, ct);
        RecordChecks.FilesExist(record, original, files.NewNames, errors);
        if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to update record.", errors);
        await HashPasswordsAsync(record, prepared, ct);

        var e = new RecordEvent(p, c, record, req) { Original = original, Scope = scope };
        scope.OnRollback(() => AfterErrorAsync(p.Hooks.AfterUpdateError, e, scope));
        var ran = await p.Hooks.BeforeUpdate.TriggerCheckedAsync(e, async () =>
        {
            if (p.Hooks.BeforeUpdate.HasHandlers) Revalidate(e.Record, "Failed to update record.");
            // As for a create: the UPDATE goes with the COMMIT when no hook wraps it and no file is stored after it.
            await UpdateRowAsync(p, scope, e.Record, scope.OwnSingleWrite && !p.Hooks.BeforeUpdate.HasHandlers && files.New.Count == 0, read?.Version, ct);
            await RecordFiles.WriteAsync(p, e.Record, files, scope, ct, prepared);
        });
        if (!ran) throw StoppedByHook(e, "Failed to update record.");
        RecordFiles.DeleteAfterCommit(p, e.Record, files, scope);
        await SucceededAsync(p.Hooks.AfterUpdate, e, "update", ct);
        return e.Record;
    }

    /// <summary>
    /// A before-hook returned without calling next: nothing is written, no after-hook runs (not even the *Error ones:
    /// the write did not fail, a handler chose to stop it) and the caller gets an error, never a 200.
    /// </summary>
    public static ApiError StoppedByHook(RecordEvent e, string message)
    {
        e.Stopped = true;
        return ApiError.BadRequest(message + " The operation was stopped by a hook.");
    }

    /// <summary>
    /// The write's SQL ran inside its transaction: the in-transaction work (the cluster notice) runs now, the
    /// After*Success hook once the transaction has committed.
    /// </summary>
    internal static async Task SucceededAsync(Hook<RecordEvent> after, RecordEvent e, string action, CancellationToken ct)
    {
        var scope = e.Scope ?? throw new InvalidOperationException("a record event outside its write transaction");
        if (e.Project.Hooks.InTransaction is { } inTransaction) await inTransaction(e, action, ct);
        scope.AfterCommit(() => AfterSuccessAsync(after, e));
    }

    /// <summary>The After*Success hooks: the event no longer carries the (finished) transaction.</summary>
    public static Task AfterSuccessAsync(Hook<RecordEvent> hook, RecordEvent e)
    {
        e.Scope = null;
        return hook.HasHandlers ? hook.TriggerAsync(e, () => Task.CompletedTask) : Task.CompletedTask;
    }

    /// <summary>The After*Error hooks, run when the write's transaction rolled back.</summary>
    public static Task AfterErrorAsync(Hook<RecordEvent> hook, RecordEvent e, WriteScope scope)
    {
        // A write stopped by a hook did not fail; one that found its row changed runs again (RowChangedException).
        if (!hook.HasHandlers || e.Stopped || scope.Failure is RowChangedException) return Task.CompletedTask;
        e.Scope = null;
        e.Error = scope.Failure;
        return hook.TriggerAsync(e, () => Task.CompletedTask);
    }

    /// <summary>Values a before-hook changed are validated again before they are written (passwords are hashed by then).</summary>
    private static void Revalidate(Record record, string message)
    {
        var errors = new ErrorData();
        foreach (var f in record.Collection.Fields)
        {
            if (f is PasswordField) continue;
            if (f.Validate(record.Values.GetValueOrDefault(f.Name)) is { } err) errors.Add(f.Name, err);
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest(message, errors);
    }

    private static void Validate(Record record, Record? original, RecordFiles.Changes files, ErrorData errors)
    {
        foreach (var f in record.Collection.Fields)
        {
            if (errors.Contains(f.Name)) continue;
            if (f.Validate(record.Values.GetValueOrDefault(f.Name)) is { } err) errors.Add(f.Name, err);
        }
        if (!record.Collection.IsAuth) RecordChecks.FilesExist(record, original, files.NewNames, errors);
    }

    /// <summary>Puts the uploads into the record; @request.body sees the resulting file names.</summary>
    private static RecordFiles.Changes ApplyUploads(Record record, JsonObject body, RecordUploads uploads, Record? original, JsonObject ruleBody, bool isSuperuser, ErrorData errors)
    {
        var changes = RecordFiles.Apply(record, body, uploads, original, isSuperuser, errors);
        foreach (var f in record.Collection.Fields.OfType<FileField>())
        {
            if (uploads.For(f.Name).Count + uploads.For(f.Name + "+").Count + uploads.For("+" + f.Name).Count == 0) continue;
            ruleBody[f.Name] = f.IsMultiple
                ? new JsonArray([.. record.GetStrings(f.Name).Select(n => (JsonNode?)JsonValue.Create(n))])
                : JsonValue.Create(record.GetString(f.Name));
        }
        return changes;
    }

    private static async Task HashPasswordsAsync(Record record, PreparedWrite? prepared, CancellationToken ct)
    {
        foreach (var f in record.Collection.Fields.OfType<PasswordField>())
        {
            if (record.Values.GetValueOrDefault(f.Name) is PasswordInput input)
                record.Values[f.Name] = prepared?.HashFor(f.Name, input.Plain) ?? await PasswordHasher.HashAsync(input.Plain, f.EffectiveCost, ct);
        }
    }

    /// <summary>True when the auth collection's manageRule matches the target row for this caller (never for guests).</summary>
    public static async Task<bool> CanManageAsync(Project p, WriteScope scope, Collection c, string id, RequestInfo req, CancellationToken ct) =>
        req.Auth is not null && !string.IsNullOrWhiteSpace(c.Auth?.ManageRule)
        && await MatchesRuleAsync(p, scope.Connection, scope.Transaction, c, c.Auth!.ManageRule!, id, req, ct);

    public static async Task<bool> MatchesRuleAsync(Project p, DbConnection conn, DbTransaction? tx, Collection c, string rule, string id, RequestInfo req, CancellationToken ct)
    {
        var ctx = RuleQuery.NewContext(p, c, req, clientFilter: false);
        var ruleSql = RuleSql.Condition(rule, ctx);
        var sql = "SELECT COUNT(*)" + Data.PagedList.FromWhere(p.Dialect, c.Name, ctx.Joins, $"t.{p.Dialect.Quote("id")} = {ctx.Params.Add(id)}", ruleSql);
        var count = await p.Database.ScalarAsync(conn, tx, sql, ctx.Params, ct);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Collection, WriteSql> WriteSqlCache = [];

    /// <summary>
    /// The INSERT and UPDATE texts of a collection, built once per collection definition and dialect; the UPDATE that writes
    /// only an unchanged row (its version the parameter after the fields') where the dialect has row versions.
    /// </summary>
    private sealed record WriteSql(string Dialect, string Insert, string Update, string? UpdateIfUnchanged);

    private static WriteSql SqlFor(Collection c, Data.ISqlDialect d)
    {
        if (WriteSqlCache.TryGetValue(c, out var cached) && cached.Dialect == d.Name) return cached;
        var cols = new List<string>();
        var vals = new List<string>();
        var sets = new List<string>();
        for (var i = 0; i < c.Fields.Count; i++)
        {
            var f = c.Fields[i];
            var ph = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cols.Add(d.Quote(f.Name));
            vals.Add(d.ParameterSql(f.Kind, ph));
            if (f.Name != "id") sets.Add($"{d.Quote(f.Name)} = {d.ParameterSql(f.Kind, ph)}");
        }
        var idIndex = c.Fields.FindIndex(f => f.Name == "id");
        var update = $"UPDATE {d.Quote(c.Name)} SET {string.Join(", ", sets)} WHERE {d.Quote("id")} = @p{idIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var built = new WriteSql(d.Name,
            $"INSERT INTO {d.Quote(c.Name)} ({string.Join(", ", cols)}) VALUES ({string.Join(", ", vals)})",
            update,
            d.RowVersion is null ? null : d.UpdateIfUnchanged(update, "@p" + c.Fields.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        WriteSqlCache.AddOrUpdate(c, built);
        return built;
    }

    /// <summary>Every field's value as a parameter, in field order (@p0 is Fields[0]).</summary>
    private static Data.SqlParams ValuesOf(Record r, Data.ISqlDialect d)
    {
        var prm = new Data.SqlParams();
        foreach (var f in r.Collection.Fields) prm.Add(d.ToDbValue(f.Kind, r.Values.GetValueOrDefault(f.Name)));
        return prm;
    }

    private static Task InsertAsync(Project p, WriteScope scope, Record r, string failMessage, bool last, CancellationToken ct) =>
        ExecuteMappingUniqueAsync(p, scope, SqlFor(r.Collection, p.Dialect).Insert, ValuesOf(r, p.Dialect), r.Collection, failMessage, last, ct);

    /// <param name="version">The row version the record was read at: the row is written only if it is still that one.</param>
    private static Task UpdateRowAsync(Project p, WriteScope scope, Record r, bool last, string? version, CancellationToken ct)
    {
        if (r.Collection.Fields.Count <= 1) return Task.CompletedTask;
        var sql = SqlFor(r.Collection, p.Dialect);
        var values = ValuesOf(r, p.Dialect);
        if (version is null) return ExecuteMappingUniqueAsync(p, scope, sql.Update, values, r.Collection, "Failed to update record.", last, ct);
        values.Add(version);
        return ExecuteMappingUniqueAsync(p, scope, sql.UpdateIfUnchanged!, values, r.Collection, "Failed to update record.", last, ct, versioned: true);
    }

    /// <summary>
    /// Runs a write; a unique-constraint violation becomes validation_not_unique on the offending fields. The transaction's
    /// last statement (<paramref name="last"/>: nothing runs on it afterwards) may be held back to go with the COMMIT
    /// (<see cref="Data.ProjectDatabase.DeferLastStatement"/>); its violation then comes out of the commit, mapped alike.
    /// </summary>
    /// <param name="versioned">The statement is an <see cref="Data.ISqlDialect.UpdateIfUnchanged"/>: its failure of that kind is a changed row.</param>
    private static async Task ExecuteMappingUniqueAsync(Project p, WriteScope scope, string sql, Data.SqlParams prm, Collection c, string failMessage, bool last, CancellationToken ct,
        bool versioned = false)
    {
        if (last && p.Database.DeferLastStatement(scope.Transaction, sql, prm, ex => Mapped(p, ex, c, failMessage, versioned))) return;
        try
        {
            await using var cmd = p.Database.Command(scope.Connection, scope.Transaction, sql, prm);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (DbException ex) when (Mapped(p, ex, c, failMessage, versioned) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>
    /// A write's database error as what the writer throws: a changed row (an update to do again; only from a versioned
    /// statement, since any other statement's division by zero, a trigger's say, is the write's own error) or a unique
    /// violation.
    /// </summary>
    private static Exception? Mapped(Project p, DbException ex, Collection c, string failMessage, bool versioned) =>
        versioned && p.Dialect.IsRowChanged(ex) ? new RowChangedException(ex) : UniqueViolation(p, ex, c, failMessage);

    /// <summary>A unique-constraint violation as the API's answer (validation_not_unique on the fields), else null.</summary>
    private static ApiError? UniqueViolation(Project p, DbException ex, Collection c, string failMessage)
    {
        if (!p.Dialect.IsUniqueViolation(ex, out var columns, out var constraint)) return null;
        var errors = new ErrorData();
        foreach (var col in columns.Where(col => c.FindField(col) is not null))
            errors.Add(col, new FieldError("validation_not_unique", "Value must be unique."));
        if (errors.IsEmpty && constraint is not null)
        {
            // PostgreSQL names the constraint (the detail with the columns is redacted, or names an expression such as
            // lower(slug)): a collection index by its name, else the table's only other unique constraint, the primary
            // key (named after the table's first name, so it can't be matched by name once the collection is renamed).
            foreach (var col in ConstraintColumns(c, constraint)) errors.Add(col, new FieldError("validation_not_unique", "Value must be unique."));
        }
        if (errors.IsEmpty)
        {
            foreach (var col in UniqueColumns(c)) errors.Add(col, new FieldError("validation_not_unique", "Value must be unique."));
        }
        return ApiError.BadRequest(failMessage, errors);
    }

    /// <summary>PostgreSQL cuts identifiers to 63 bytes: a longer index name is matched by the part it kept.</summary>
    private const int PostgresMaxIdentifierBytes = 63;

    private static IEnumerable<string> ConstraintColumns(Collection c, string constraint)
    {
        var index = UniqueIndexes(c).FirstOrDefault(d => string.Equals(d.Name, constraint, StringComparison.Ordinal)
            || (System.Text.Encoding.UTF8.GetByteCount(d.Name) > PostgresMaxIdentifierBytes && d.Name.StartsWith(constraint, StringComparison.Ordinal)
                && System.Text.Encoding.UTF8.GetByteCount(constraint) > PostgresMaxIdentifierBytes - 4));
        return index is null
            ? ["id"]
            : index.Columns.Select(col => col.Column).Where(col => c.FindField(col) is not null);
    }

    private static IEnumerable<Data.Schema.IndexDefinition> UniqueIndexes(Collection c) =>
        c.Indexes.Select(i => Data.Schema.IndexDefinition.TryParse(i, out var d, out _) ? d : null)
            .Where(d => d is { Unique: true })
            .Select(d => d!);

    private static IEnumerable<string> UniqueColumns(Collection c) =>
        UniqueIndexes(c)
            .SelectMany(d => d.Columns.Select(col => col.Column))
            .Where(col => col is not "tokenKey")
            .Distinct(StringComparer.Ordinal);
}
