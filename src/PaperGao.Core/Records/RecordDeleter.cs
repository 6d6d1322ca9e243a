using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// Delete with the rule in the query and PocketBase's cascade: referencing records whose relation would become
/// empty are deleted when the relation has cascadeDelete, refused when it is required, otherwise the id is removed.
/// </summary>
public static class RecordDeleter
{
    public const string RequiredReferenceMessage = "Failed to delete record. Make sure that the record is not part of a required relation reference.";

    public static async Task DeleteInScopeAsync(Project p, Collection c, string id, RequestInfo req, WriteScope scope, CancellationToken ct)
    {
        if (c.IsView) throw ApiError.BadRequest("Unsupported collection type.");
        var record = await RecordLister.FetchOneAsync(p, scope.Connection, scope.Transaction, c, c.DeleteRule, id, req, ct)
                     ?? throw ApiError.NotFound();
        await DeleteRecordAsync(p, record, req, scope, new HashSet<string>(StringComparer.Ordinal), ct);
    }

    private static async Task DeleteRecordAsync(Project p, Record record, RequestInfo req, WriteScope scope, HashSet<string> visited, CancellationToken ct)
    {
        if (!visited.Add(record.Collection.Id + "/" + record.Id)) return;
        var e = new RecordEvent(p, record.Collection, record, req) { Original = record, Scope = scope };
        scope.OnRollback(() => RecordWriter.AfterErrorAsync(p.Hooks.AfterDeleteError, e, scope));
        var ran = await p.Hooks.BeforeDelete.TriggerCheckedAsync(e, async () =>
        {
            await CascadeAsync(p, record, req, scope, visited, ct);
            var prm = new Data.SqlParams();
            var sql = $"DELETE FROM {p.Dialect.Quote(record.Collection.Name)} WHERE {p.Dialect.Quote("id")} = {prm.Add(record.Id)}";
            await p.Database.ExecuteAsync(scope.Transaction, sql, prm, ct);
        });
        if (!ran) throw RecordWriter.StoppedByHook(e, "Failed to delete record.");
        await RecordWriter.SucceededAsync(p.Hooks.AfterDelete, e, "delete", ct);
        RecordFiles.DeleteRecordAfterCommit(p, record.Collection, record.Id, scope);
    }

    private static async Task CascadeAsync(Project p, Record record, RequestInfo req, WriteScope scope, HashSet<string> visited, CancellationToken ct)
    {
        foreach (var source in p.Collections.All.Where(c => !c.IsView))
        {
            foreach (var rel in source.Fields.OfType<RelationField>().Where(f => f.CollectionId == record.Collection.Id))
            {
                var prm = new Data.SqlParams();
                var ph = prm.Add(record.Id);
                var sql = $"SELECT {RecordSql.SelectList(source, p.Dialect)} FROM {p.Dialect.Quote(source.Name)} AS t WHERE {RelationSql.ReferencesAny(p.Dialect, "t", rel, [ph])}";
                await using var cmd = p.Database.Command(scope.Connection, scope.Transaction, sql, prm);
                var referencing = await RecordSql.ReadAllAsync(source, cmd, ct);
                foreach (var r in referencing)
                {
                    if (visited.Contains(source.Id + "/" + r.Id)) continue;
                    var remaining = r.GetStrings(rel.Name).Where(x => x != record.Id).ToList();
                    if (remaining.Count == 0 && rel.CascadeDelete)
                    {
                        await DeleteRecordAsync(p, r, req, scope, visited, ct);
                        continue;
                    }
                    if (remaining.Count == 0 && rel.Required) throw ApiError.BadRequest(RequiredReferenceMessage);
                    object? value = rel.IsMultiple ? remaining : (remaining.Count > 0 ? remaining[0] : "");
                    var up = new Data.SqlParams();
                    var set = p.Dialect.ParameterSql(rel.Kind, up.Add(p.Dialect.ToDbValue(rel.Kind, value)));
                    await p.Database.ExecuteAsync(scope.Transaction,
                        $"UPDATE {p.Dialect.Quote(source.Name)} SET {p.Dialect.Quote(rel.Name)} = {set} WHERE {p.Dialect.Quote("id")} = {up.Add(r.Id)}", up, ct);
                }
            }
        }
    }
}
