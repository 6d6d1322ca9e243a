using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PaperGao.Core.Data;

namespace PaperGao.Core.Backups;

/// <summary>
/// Streams the rows of one table into a JSON Lines entry: one object per row, the column names as keys, values in a
/// form that does not depend on the database (docs/backups.md): text as strings, numbers, booleans, JSON values as JSON.
/// Holds at most ~64 KiB of output at a time.
/// </summary>
public static class RowDumper
{
    private const int FlushAt = 64 * 1024;

    public static async Task<long> DumpAsync(ProjectDatabase db, DbConnection conn, DbTransaction tx, string table,
        IReadOnlyList<BackupColumn> columns, Stream output, CancellationToken ct)
    {
        var d = db.Dialect;
        var sql = $"SELECT {string.Join(", ", columns.Select(c => d.Quote(c.Name)))} FROM {d.Quote(table)}";
        await using var cmd = db.Command(conn, tx, sql);
        cmd.CommandTimeout = 0;
        await using var reader = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        var buffer = new ArrayBufferWriter<byte>(FlushAt * 2);
        await using var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            w.WriteStartObject();
            for (var i = 0; i < columns.Count; i++)
            {
                w.WritePropertyName(columns[i].Name);
                WriteValue(w, columns[i].Kind, reader.IsDBNull(i) ? null : reader.GetValue(i));
            }
            w.WriteEndObject();
            w.Flush();
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            count++;
            if (buffer.WrittenCount >= FlushAt)
            {
                await output.WriteAsync(buffer.WrittenMemory, ct);
                buffer.ResetWrittenCount();
            }
            w.Reset(buffer); // each line is a new top-level value (no separator)
        }
        if (buffer.WrittenCount > 0) await output.WriteAsync(buffer.WrittenMemory, ct);
        return count;
    }

    private static void WriteValue(Utf8JsonWriter w, ColumnKind kind, object? value)
    {
        if (value is byte[] bytes) value = Encoding.UTF8.GetString(bytes);
        switch (kind)
        {
            case ColumnKind.Number:
                var n = value switch { null => 0d, double x => x, float f => f, long l => l, int i => i, decimal m => (double)m, string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : 0d, _ => Convert.ToDouble(value, CultureInfo.InvariantCulture) };
                w.WriteNumberValue(double.IsFinite(n) ? n : 0d);
                break;
            case ColumnKind.Bool:
                w.WriteBooleanValue(value switch { bool b => b, long l => l != 0, int i => i != 0, double x => x != 0, string s => s is "1" or "true", _ => false });
                break;
            case ColumnKind.Json or ColumnKind.JsonArray or ColumnKind.JsonObject:
                if (value is null)
                {
                    w.WriteNullValue();
                    break;
                }
                var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                if (JsonValues.IsValidJson(text)) w.WriteRawValue(text, skipInputValidation: true);
                else w.WriteStringValue(text);
                break;
            default:
                w.WriteStringValue(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }
}
