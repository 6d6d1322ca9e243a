using System.Data.Common;
using Npgsql;

namespace PaperGao.Bench.Baseline;

/// <summary>The same row read from PostgreSQL (for <c>run.sh --db</c>), through a pooled data source.</summary>
public sealed class PostgresRowSource : RowSource
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresRowSource(NpgsqlDataSource dataSource, string schema, string table)
    {
        _dataSource = dataSource;
        SelectByIdSql = $"SELECT * FROM \"{schema}\".\"{table}\" WHERE id = @id LIMIT 1";
    }

    protected override string SelectByIdSql { get; }

    /// <summary>Opens the data source; without a schema, uses the only schema that has the table.</summary>
    public static async Task<PostgresRowSource> CreateAsync(string connectionString, string? schema, string table)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        if (schema is null)
        {
            await using var cmd = dataSource.CreateCommand(
                "SELECT table_schema FROM information_schema.tables WHERE table_name = @t ORDER BY table_schema");
            cmd.Parameters.AddWithValue("t", table);
            var schemas = new List<string>();
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    schemas.Add(reader.GetString(0));
                }
            }
            if (schemas.Count != 1)
            {
                await dataSource.DisposeAsync();
                throw new InvalidOperationException(
                    $"table {table} found in {schemas.Count} schemas ({string.Join(", ", schemas)}); pass --pg-schema");
            }
            schema = schemas[0];
        }
        Console.WriteLine($"baseline: postgres schema {schema}");
        return new PostgresRowSource(dataSource, schema, table);
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
