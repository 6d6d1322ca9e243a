using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>Checks that need more than one field: related records exist, file names are the record's own.</summary>
public static class RecordChecks
{
    /// <summary>Every id in a relation field (that changed) must exist in the related collection.</summary>
    public static async Task RelationsExistAsync(Project p, WriteScope scope, Record record, Record? original, ErrorData errors, CancellationToken ct)
    {
        foreach (var rel in record.Collection.Fields.OfType<RelationField>())
        {
            if (errors.Contains(rel.Name)) continue;
            var ids = record.GetStrings(rel.Name).Distinct(StringComparer.Ordinal).ToList();
            if (original is not null) ids = [.. ids.Except(original.GetStrings(rel.Name), StringComparer.Ordinal)];
            if (ids.Count == 0) continue;
            var target = p.Collections.FindById(rel.CollectionId);
            var found = 0L;
            if (target is not null)
            {
                var prm = new Data.SqlParams();
                var sql = $"SELECT COUNT(*) FROM {p.Dialect.Quote(target.Name)} WHERE {p.Dialect.Quote("id")} IN ({string.Join(", ", ids.Select(prm.Add))})";
                found = Convert.ToInt64(await p.Database.ScalarAsync(scope.Connection, scope.Transaction, sql, prm, ct), System.Globalization.CultureInfo.InvariantCulture);
            }
            if (found != ids.Count)
                errors.Add(rel.Name, new FieldError("validation_missing_rel_records", "Failed to find all relation records with the provided ids."));
        }
    }

    /// <summary>A file field can only keep names the record already has (uploads come through multipart parts).</summary>
    public static void FilesExist(Record record, Record? original, IReadOnlySet<string> uploaded, ErrorData errors)
    {
        foreach (var f in record.Collection.Fields.OfType<FileField>())
        {
            if (errors.Contains(f.Name)) continue;
            var existing = original?.GetStrings(f.Name) ?? [];
            if (record.GetStrings(f.Name).Any(n => !existing.Contains(n, StringComparer.Ordinal) && !uploaded.Contains(n)))
                errors.Add(f.Name, new FieldError("validation_invalid_file", "Only existing file names of the record, or new uploads, are accepted."));
        }
    }

    /// <summary>
    /// Auth record ids are unique across every auth collection (protocol.md §1.6), so a rule such as
    /// `owner = @request.auth.id` can never match a record of another auth collection with a chosen id.
    /// </summary>
    public static async Task AuthIdUniqueAsync(Project p, WriteScope scope, Record record, ErrorData errors, CancellationToken ct)
    {
        if (errors.Contains("id")) return;
        foreach (var other in p.Collections.All.Where(c => c.IsAuth && c.Id != record.Collection.Id))
        {
            var prm = new Data.SqlParams();
            var sql = $"SELECT COUNT(*) FROM {p.Dialect.Quote(other.Name)} WHERE {p.Dialect.Quote("id")} = {prm.Add(record.Id)}";
            var n = Convert.ToInt64(await p.Database.ScalarAsync(scope.Connection, scope.Transaction, sql, prm, ct), System.Globalization.CultureInfo.InvariantCulture);
            if (n == 0) continue;
            errors.Add("id", new FieldError("validation_invalid_auth_id", "Invalid or duplicated auth record id."));
            return;
        }
    }
}
