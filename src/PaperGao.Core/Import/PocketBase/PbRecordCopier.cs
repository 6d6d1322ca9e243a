using System.Data.Common;
using System.Text;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// Streams the rows of one PocketBase table into the PaperGao table of the same collection with plain multi-row INSERTs
/// (ids, created/updated, password hashes and tokenKeys as stored: no record pipeline, nothing rehashed or regenerated).
/// Memory holds one batch of rows at a time, whatever the size of the table.
/// </summary>
public static class PbRecordCopier
{
    /// <summary>Largest number of bound parameters per statement (SQLite allows 32766, PostgreSQL 65535).</summary>
    private const int MaxParameters = 30000;

    public static async Task CopyAsync(PbDataFolder pb, Project p, DbTransaction? tx, Collection target, PbCollection source,
        PbFileCopier files, ImportReport.CollectionLine line, ImportReport report, int batchSize, CancellationToken ct)
    {
        var sourceColumns = await pb.ColumnsOfAsync(source.Name, ct);
        var fields = target.Fields.Where(f => sourceColumns.Contains(f.Name)).ToList();
        foreach (var column in sourceColumns.Where(c => target.FindField(c) is null).Order(StringComparer.Ordinal))
            report.Skip($"{source.Name}.{column}", "a column with no field in the collection definition; its values were not copied");
        if (!fields.Exists(f => f.Name == "id"))
            throw new PocketBaseImportException($"The PocketBase table '{source.Name}' has no id column.");

        var fileFields = fields.Select((f, i) => (Field: f, Index: i)).Where(x => x.Field is FileField).ToList();
        var idIndex = fields.FindIndex(f => f.Name == "id");
        var perBatch = Math.Max(1, Math.Min(batchSize, MaxParameters / fields.Count));
        var d = p.Dialect;
        var insertHead = $"INSERT INTO {d.Quote(target.Name)} ({string.Join(", ", fields.Select(f => d.Quote(f.Name)))}) VALUES ";

        await using var cmd = pb.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", fields.Select(f => Quote(f.Name)))} FROM {Quote(source.Name)} ORDER BY rowid";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var batch = new List<object?[]>(perBatch);
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[fields.Count];
            for (var i = 0; i < fields.Count; i++) row[i] = PbValueConverter.ToClr(fields[i], reader.GetValue(i));
            foreach (var (field, index) in fileFields)
            {
                foreach (var name in FileNames(row[index]))
                {
                    if (await files.CopyAsync(source.Name, source.Id, (string)row[idIndex]!, name, ct)) line.Files++;
                }
            }
            batch.Add(row);
            if (batch.Count == perBatch)
            {
                await FlushAsync(p, tx, insertHead, fields, batch, source.Name, ct);
                line.Records += batch.Count;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await FlushAsync(p, tx, insertHead, fields, batch, source.Name, ct);
            line.Records += batch.Count;
        }
    }

    /// <summary>Counts the rows and the referenced files of a table without writing anything (dry run).</summary>
    public static async Task CountAsync(PbDataFolder pb, PbCollection source, PbFileCopier files, ImportReport.CollectionLine line, CancellationToken ct)
    {
        var columns = await pb.ColumnsOfAsync(source.Name, ct);
        var fileFields = source.Fields.Where(f => f.Type == "file" && columns.Contains(f.Name)).Select(f => f.Name).ToList();
        await using var cmd = pb.Connection.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", new[] { "id" }.Concat(fileFields).Select(Quote))} FROM {Quote(source.Name)}";
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            line.Records++;
            for (var i = 1; i <= fileFields.Count; i++)
            {
                var raw = reader.IsDBNull(i) ? "" : reader.GetString(i);
                var names = raw.StartsWith('[') ? JsonValues.ParseStringArray(raw) : raw.Length > 0 ? [raw] : [];
                foreach (var name in names)
                {
                    if (await files.CopyAsync(source.Name, source.Id, reader.GetString(0), name, ct)) line.Files++;
                }
            }
        }
    }

    private static IEnumerable<string> FileNames(object? value) => value switch
    {
        string { Length: > 0 } s => [s],
        IEnumerable<string> list => list.Where(n => n.Length > 0),
        _ => [],
    };

    private static async Task FlushAsync(Project p, DbTransaction? tx, string insertHead, List<Field> fields, List<object?[]> rows, string table, CancellationToken ct)
    {
        if (tx is null) return;
        var d = p.Dialect;
        var prm = new SqlParams();
        var sql = new StringBuilder(insertHead);
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var i = 0; i < fields.Count; i++)
            {
                if (i > 0) sql.Append(", ");
                sql.Append(d.ParameterSql(fields[i].Kind, prm.Add(d.ToDbValue(fields[i].Kind, rows[r][i]))));
            }
            sql.Append(')');
        }
        try
        {
            await p.Database.ExecuteAsync(tx, sql.ToString(), prm, ct);
        }
        catch (DbException ex)
        {
            throw new PocketBaseImportException($"Copying the records of '{table}' failed: {ex.Message}", ex);
        }
    }

    /// <summary>Quotes a SQLite identifier of the source database (names come from its own schema).</summary>
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
