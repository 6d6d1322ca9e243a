using Npgsql;

namespace PaperGao.Core.Data.Postgres;

/// <summary>Projects as schemas "p_&lt;name&gt;" of one PostgreSQL database.</summary>
public sealed class PostgresDatabaseProvider : IDatabaseProvider
{
    private const string SchemaPrefix = "p_";

    /// <summary>Log schemas use another prefix, so no project name can collide with another project's log schema.</summary>
    private const string LogSchemaPrefix = "l_";
    private readonly string _connectionString;
    private readonly NpgsqlDataSource _admin;
    private readonly string _dataDir;

    /// <param name="connectionString">The database; each project is a schema in it.</param>
    /// <param name="dataDir">The data folder; a project's local files go to &lt;dataDir&gt;/projects/&lt;name&gt;/storage.</param>
    public PostgresDatabaseProvider(string connectionString, string dataDir)
    {
        _dataDir = dataDir;
        _connectionString = connectionString;
        _admin = NpgsqlDataSource.Create(connectionString);
    }

    public ISqlDialect Dialect => PostgresDialect.Instance;

    /// <summary>The statement time limit of the databases opened from now on (see ProjectDatabase.StatementTimeout).</summary>
    public TimeSpan StatementTimeout { get; init; } = ProjectDatabase.DefaultStatementTimeout;

    public static string SchemaOf(string project) => SchemaPrefix + project;

    public static string LogSchemaOf(string project) => LogSchemaPrefix + project;

    public string StorageDir(string project) => Path.Combine(_dataDir, "projects", project, "storage");

    public async Task<IReadOnlyList<string>> ListProjectsAsync(CancellationToken ct = default)
    {
        await using var cmd = _admin.CreateCommand(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'p\\_%' AND " +
            "EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = schema_name AND t.table_name = '_collections') ORDER BY 1");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<string>();
        while (await reader.ReadAsync(ct)) list.Add(reader.GetString(0)[SchemaPrefix.Length..]);
        return list;
    }

    public async Task<bool> ExistsAsync(string project, CancellationToken ct = default)
    {
        await using var cmd = _admin.CreateCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_collections'");
        cmd.Parameters.AddWithValue(SchemaOf(project));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public async Task<ProjectDatabase> OpenAsync(string project, bool create, CancellationToken ct = default)
    {
        var schema = SchemaOf(project);
        if (create)
        {
            await CreateSchemaAsync(schema, ct);
        }
        else if (!await ExistsAsync(project, ct))
        {
            throw new InvalidOperationException($"Project '{project}' does not exist.");
        }
        return Open(schema);
    }

    public async Task<ProjectDatabase> OpenLogsAsync(string project, CancellationToken ct = default)
    {
        var schema = LogSchemaOf(project);
        await CreateSchemaAsync(schema, ct);
        return Open(schema, maxPoolSize: 4);
    }

    /// <summary>
    /// CREATE SCHEMA IF NOT EXISTS under the schema's migration lock: two nodes that start together on an empty database
    /// would otherwise both try to insert it into pg_namespace, and one fails with a duplicate key.
    /// </summary>
    private async Task CreateSchemaAsync(string schema, CancellationToken ct)
    {
        await using var conn = await _admin.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", conn, tx))
        {
            lockCmd.Parameters.AddWithValue(PostgresProjectDatabase.MigrationLockKey(schema));
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using (var cmd = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {PostgresDialect.Instance.Quote(schema)}", conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private PostgresProjectDatabase Open(string schema, int? maxPoolSize = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { SearchPath = schema };
        if (maxPoolSize is { } max) builder.MaxPoolSize = max;
        // The statement time limit: enforced by the server (statement_timeout, per statement, also when this process
        // is gone) with Npgsql's command timeout a few seconds later as the client-side backstop.
        var limitMs = StatementTimeout <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(StatementTimeout.TotalMilliseconds);
        builder.Options = ((builder.Options ?? "") + FormattableString.Invariant($" -c statement_timeout={limitMs}")).Trim();
        builder.CommandTimeout = limitMs == 0 ? 0 : (int)Math.Min(int.MaxValue, limitMs / 1000 + 5);
        // Superuser console SQL may change session state (SET, LISTEN, PREPARE): it runs on connections that are reset
        // when they go back to their pool and prepare nothing, apart from the request path's.
        var consoleSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        var fast = PostgresConnectionTuning.Apply(new NpgsqlConnectionStringBuilder(builder.ConnectionString));
        var pinnedSource = new NpgsqlDataSourceBuilder(PostgresConnectionTuning.Pinned(new NpgsqlConnectionStringBuilder(fast.ConnectionString)).ConnectionString).Build();
        var dataSource = new NpgsqlDataSourceBuilder(PostgresConnectionTuning.Multiplex(fast).ConnectionString).Build();
        return new PostgresProjectDatabase(dataSource, pinnedSource, consoleSource, schema, StatementTimeout) { StatementTimeout = StatementTimeout };
    }

    public async Task DeleteAsync(string project, CancellationToken ct = default)
    {
        var d = PostgresDialect.Instance;
        await using var cmd = _admin.CreateCommand($"DROP SCHEMA IF EXISTS {d.Quote(SchemaOf(project))} CASCADE; DROP SCHEMA IF EXISTS {d.Quote(LogSchemaOf(project))} CASCADE");
        await cmd.ExecuteNonQueryAsync(ct);
        var dir = Path.GetDirectoryName(StorageDir(project))!;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    public ValueTask DisposeAsync() => _admin.DisposeAsync();
}
