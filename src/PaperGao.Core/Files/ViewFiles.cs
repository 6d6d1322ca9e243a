using System.Data.Common;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Files;

/// <summary>
/// A view's file field shows files stored under a table's record: finds that record (the stored name, with its random
/// suffix, names one file). The view's own rules decide who may download it, as PocketBase does for view collections.
/// </summary>
public static class ViewFiles
{
    /// <summary>The table collection and record id storing <paramref name="filename"/>; fields of the same name are tried first.</summary>
    public static async Task<(Collection Collection, string RecordId)?> FindSourceAsync(Project p, DbConnection conn, string fieldName, string filename, CancellationToken ct)
    {
        var d = p.Dialect;
        var candidates = p.Collections.All.Where(c => !c.IsView)
            .SelectMany(c => c.Fields.OfType<FileField>().Select(f => (Collection: c, Field: f)))
            .OrderBy(x => x.Field.Name == fieldName ? 0 : 1);
        foreach (var (c, f) in candidates)
        {
            var prm = new Data.SqlParams();
            var value = prm.Add(filename);
            var col = "t." + d.Quote(f.Name);
            var condition = f.IsMultiple ? d.JsonArrayContains(col, value) : $"{col} = {value}";
            var id = await p.Database.ScalarAsync(conn, null, $"SELECT t.{d.Quote("id")} FROM {d.Quote(c.Name)} AS t WHERE {condition} LIMIT 1", prm, ct);
            if (id is string s && s.Length > 0) return (c, s);
        }
        return null;
    }
}
