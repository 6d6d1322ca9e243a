using System.Data.Common;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Backups;

/// <summary>
/// Reads a JSON Lines entry written by <see cref="RowDumper"/> back into a table with multi-row INSERTs inside the
/// caller's transaction. Memory holds one batch of rows. A line that is not an object, a key that is not a column or a
/// value of the wrong type makes the backup invalid (400), and the transaction is rolled back by the caller.
/// </summary>
public static class RowLoader
{
    /// <summary>Largest number of bound parameters per statement (SQLite allows 32766, PostgreSQL 65535).</summary>
    private const int MaxParameters = 30000;
    private const int MaxRowsPerInsert = 500;

    /// <summary>Longest line accepted (one row).</summary>
    public const int MaxLineChars = 64 * 1024 * 1024;

    public static async Task<long> LoadAsync(ProjectDatabase db, DbTransaction tx, string table, IReadOnlyList<BackupColumn> columns,
        Stream input, string entryName, CancellationToken ct)
    {
        var d = db.Dialect;
        var byName = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c.Name, x => x.i, StringComparer.Ordinal);
        var perBatch = Math.Max(1, Math.Min(MaxRowsPerInsert, MaxParameters / columns.Count));
        var head = $"INSERT INTO {d.Quote(table)} ({string.Join(", ", columns.Select(c => d.Quote(c.Name)))}) VALUES ";
        using var reader = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 65536);
        var batch = new List<object?[]>(perBatch);
        long count = 0, line = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            if (text.Length > MaxLineChars) throw Invalid(entryName, line, "the row is too large");
            batch.Add(ParseRow(text, columns, byName, entryName, line));
            if (batch.Count == perBatch)
            {
                await FlushAsync(db, tx, head, columns, batch, ct);
                count += batch.Count;
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await FlushAsync(db, tx, head, columns, batch, ct);
            count += batch.Count;
        }
        return count;
    }

    private static object?[] ParseRow(string text, IReadOnlyList<BackupColumn> columns, Dictionary<string, int> byName, string entryName, long line)
    {
        JsonObject o;
        try
        {
            o = JsonNode.Parse(text) as JsonObject ?? throw Invalid(entryName, line, "a row must be a JSON object");
        }
        catch (JsonException)
        {
            throw Invalid(entryName, line, "not valid JSON");
        }
        var row = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++) row[i] = Zero(columns[i].Kind);
        foreach (var (key, node) in o)
        {
            if (!byName.TryGetValue(key, out var i)) throw Invalid(entryName, line, $"'{Trim(key)}' is not a column of the table");
            row[i] = ToClr(columns[i].Kind, node) ?? (columns[i].Kind == ColumnKind.Json ? null : throw Invalid(entryName, line, $"wrong value type for '{key}'"));
        }
        return row;
    }

    private static object? Zero(ColumnKind kind) => kind switch
    {
        ColumnKind.Text => "",
        ColumnKind.Number => 0d,
        ColumnKind.Bool => false,
        ColumnKind.JsonArray => Array.Empty<string>(),
        ColumnKind.JsonObject => GeoPoint.Zero,
        _ => null,
    };

    /// <summary>The CLR value <see cref="ISqlDialect.ToDbValue"/> takes; null when the JSON value has the wrong type.</summary>
    private static object? ToClr(ColumnKind kind, JsonNode? node)
    {
        switch (kind)
        {
            case ColumnKind.Text:
                return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            case ColumnKind.Number:
                return node is JsonValue n && n.TryGetValue<double>(out var x) && double.IsFinite(x) ? x : null;
            case ColumnKind.Bool:
                return node is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag : null;
            case ColumnKind.JsonArray:
                if (node is not JsonArray a) return null;
                var items = new List<string>(a.Count);
                foreach (var item in a)
                {
                    if (item is JsonValue iv && iv.TryGetValue<string>(out var str)) items.Add(str);
                    else return null;
                }
                return items;
            case ColumnKind.JsonObject:
                return node is JsonObject g ? g.ToJsonString() : null;
            default:
                return node?.DeepClone();
        }
    }

    private static async Task FlushAsync(ProjectDatabase db, DbTransaction tx, string head, IReadOnlyList<BackupColumn> columns, List<object?[]> rows, CancellationToken ct)
    {
        var d = db.Dialect;
        var prm = new SqlParams();
        var sql = new StringBuilder(head);
        for (var r = 0; r < rows.Count; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) sql.Append(", ");
                sql.Append(d.ParameterSql(columns[i].Kind, prm.Add(d.ToDbValue(columns[i].Kind, rows[r][i]))));
            }
            sql.Append(')');
        }
        await db.ExecuteAsync(tx, sql.ToString(), prm, ct);
    }

    private static string Trim(string s) => s.Length > 60 ? s[..60] + "..." : s;

    private static ApiError Invalid(string entry, long line, string why) =>
        ApiError.BadRequest($"The backup is not valid: {entry} line {line}: {why}.");
}
