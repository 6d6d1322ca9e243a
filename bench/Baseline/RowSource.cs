using System.Buffers;
using System.Data.Common;
using System.Text.Json;

namespace PaperGao.Bench.Baseline;

/// <summary>Reads one row of the table by id and writes it as a flat JSON object.</summary>
public abstract class RowSource : IAsyncDisposable
{
    protected abstract string SelectByIdSql { get; }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Writes the row with the given id as JSON; returns false when there is no such row.</summary>
    public async Task<bool> TryWriteAsync(string id, IBufferWriter<byte> output, CancellationToken ct)
    {
        await using var conn = await OpenAsync(ct);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = SelectByIdSql;
        var p = cmd.CreateParameter();
        p.ParameterName = "@id";
        p.Value = id;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return false;
        }
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (reader.IsDBNull(i))
            {
                json.WriteNull(name);
                continue;
            }
            switch (reader.GetValue(i))
            {
                case long l: json.WriteNumber(name, l); break;
                case int n: json.WriteNumber(name, n); break;
                case double d: json.WriteNumber(name, d); break;
                case decimal m: json.WriteNumber(name, m); break;
                case bool b: json.WriteBoolean(name, b); break;
                case DateTime t: json.WriteString(name, t); break;
                case byte[] bytes: json.WriteBase64String(name, bytes); break;
                case var other: json.WriteString(name, Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        json.WriteEndObject();
        await json.FlushAsync(ct);
        return true;
    }

    public abstract ValueTask DisposeAsync();
}
