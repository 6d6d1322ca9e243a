using Npgsql;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server for one test run (an xunit assembly fixture). Uses
/// <c>PAPERGAO_TEST_POSTGRES_CONNSTRING</c> when set; otherwise starts a <see cref="ThrowawayPostgres"/> the
/// first time a test asks for a database (so SQLite-only runs never pay for it). Each test gets its own
/// database, so tests run in parallel. When no PostgreSQL is available the asking test is skipped, or fails
/// when <c>PAPERGAO_REQUIRE_POSTGRES=1</c>.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    public const string ConnectionStringVariable = "PAPERGAO_TEST_POSTGRES_CONNSTRING";
    public const string RequireVariable = "PAPERGAO_REQUIRE_POSTGRES";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private ThrowawayPostgres? _local;
    private string? _adminConnectionString;
    private string? _unavailableReason;

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Creates an empty database for the calling test. Skips or fails the test when PostgreSQL is unavailable.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(CancellationToken ct = default)
    {
        var admin = await GetAdminConnectionStringAsync();
        var name = "papergao_t_" + Guid.NewGuid().ToString("N")[..16];
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync(ct);
        return new TestDatabase(admin, name);
    }

    private async Task<string> GetAdminConnectionStringAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_adminConnectionString is null && _unavailableReason is null) await ConnectAsync();
        }
        finally
        {
            _gate.Release();
        }
        if (_adminConnectionString is not null) return _adminConnectionString;

        var message = "PostgreSQL is not available: " + _unavailableReason;
        if (Required) Assert.Fail(message + $" ({RequireVariable}=1, so this is a failure, not a skip)");
        Assert.Skip(message + $" (set {RequireVariable}=1 to make this a failure)");
        return ""; // unreachable: Assert.Skip throws
    }

    private async Task ConnectAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            try
            {
                await using var conn = new NpgsqlConnection(external);
                await conn.OpenAsync();
                _adminConnectionString = external;
            }
            catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
            {
                _unavailableReason = $"{ConnectionStringVariable} is set but the server can't be reached: {ex.Message}";
            }
            return;
        }

        var bins = PostgresBinaries.Find(out var reason);
        if (bins is null)
        {
            _unavailableReason = reason;
            return;
        }
        try
        {
            _local = await ThrowawayPostgres.StartAsync(bins);
            _adminConnectionString = _local.AdminConnectionString;
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            _unavailableReason = "starting a throwaway cluster failed: " + ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_local is not null) await _local.DisposeAsync();
        _gate.Dispose();
    }
}
