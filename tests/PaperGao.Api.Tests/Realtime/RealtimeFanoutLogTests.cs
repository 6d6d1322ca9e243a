using Microsoft.Extensions.Logging;
using Npgsql;
using PaperGao.Api.Realtime;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// What a node logs when its realtime bus reports something: PostgreSQL ending the bus's listening connection (57P01
/// when the database shuts down or an administrator terminates the backend, a broken socket) is a reconnect, one debug
/// line; a database that does not exist (dropped) is one warning per outage and one when it is back; every other
/// failure of the fan-out stays an error.
/// </summary>
public sealed class RealtimeFanoutLogTests(PostgresCluster postgres)
{
    private sealed class ListLogger : ILogger
    {
        private readonly Lock _gate = new();
        private readonly List<(LogLevel Level, string Message)> _lines = [];

        public List<(LogLevel Level, string Message)> Lines { get { lock (_gate) return [.. _lines]; } }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate) _lines.Add((logLevel, formatter(state, exception)));
        }
    }

    private static PostgresException Postgres(string sqlState) => new("terminating connection due to administrator command", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("57P01")] // admin_shutdown: pg_terminate_backend, a fast shutdown
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: the server is starting or stopping
    [InlineData("08006")] // connection_failure
    public void A_lost_connection_is_a_reconnect_logged_as_debug(string sqlState)
    {
        Assert.True(PostgresRealtimeBus.IsConnectionLoss(Postgres(sqlState)));
        var log = new ListLogger();
        new RealtimeFanoutLog(log).Failed(new RealtimeBusConnectionLostException(Postgres(sqlState)));
        var (level, message) = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Debug, level);
        Assert.Contains("reconnects", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_socket_is_a_lost_connection()
    {
        Assert.True(PostgresRealtimeBus.IsConnectionLoss(new NpgsqlException("Exception while reading from stream", new EndOfStreamException())));
    }

    [Fact]
    public void Other_failures_stay_errors()
    {
        // A statement of the bus that PostgreSQL refuses (not a lost connection), and a failure of the fan-out itself.
        Assert.False(PostgresRealtimeBus.IsConnectionLoss(new PostgresException("permission denied", "ERROR", "ERROR", "42501")));
        Assert.False(PostgresRealtimeBus.IsConnectionLoss(new InvalidOperationException("Realtime fan-out queue full: a notice was dropped.")));
        var log = new ListLogger();
        var fanoutLog = new RealtimeFanoutLog(log);
        fanoutLog.Failed(new PostgresException("permission denied", "ERROR", "ERROR", "42501"));
        fanoutLog.Failed(new InvalidOperationException("Realtime fan-out queue full: a notice was dropped."));
        Assert.Equal(2, log.Lines.Count);
        Assert.All(log.Lines, l => Assert.Equal(LogLevel.Error, l.Level));
        Assert.All(log.Lines, l => Assert.Equal("Realtime fan-out failed", l.Message));
    }

    [Fact]
    public async Task A_dropped_database_is_one_warning_per_outage_and_one_when_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(ct);
        var admin = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
        var log = new ListLogger();
        var fanoutLog = new RealtimeFanoutLog(log);
        var missing = 0;
        var listens = 0;
        await using var bus = new PostgresRealtimeBus(database.ConnectionString, () =>
        {
            Interlocked.Increment(ref listens);
            fanoutLog.Listening();
        });
        bus.Start(_ => Task.CompletedTask, ex =>
        {
            if (RealtimeFanoutLog.IsDatabaseMissing(ex)) Interlocked.Increment(ref missing);
            fanoutLog.Failed(ex);
        });
        await bus.Listening;
        Assert.DoesNotContain(log.Lines, l => l.Level >= LogLevel.Warning); // listening at start is no news

        async Task AdminAsync(string sql)
        {
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        for (var outage = 1; outage <= 2; outage++)
        {
            var missingBefore = Volatile.Read(ref missing);
            await AdminAsync($"DROP DATABASE \"{database.Name}\" WITH (FORCE)");
            // The bus retries every second: three refused attempts, still one warning.
            await Eventually.UntilAsync(() => Volatile.Read(ref missing) >= missingBefore + 3, ct, "three attempts on the dropped database", TimeSpan.FromSeconds(30));
            var listensBefore = Volatile.Read(ref listens);
            await AdminAsync($"CREATE DATABASE \"{database.Name}\"");
            await Eventually.UntilAsync(() => Volatile.Read(ref listens) > listensBefore, ct, "the bus listening again", TimeSpan.FromSeconds(30));

            var loud = log.Lines.Where(l => l.Level >= LogLevel.Warning).ToList();
            Assert.Equal(2 * outage, loud.Count);
            Assert.All(loud, l => Assert.Equal(LogLevel.Warning, l.Level));
            Assert.Contains("database is unavailable", loud[^2].Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", loud[^2].Message, StringComparison.Ordinal);
            Assert.Contains("available again", loud[^1].Message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(log.Lines, l => l.Message == "Realtime fan-out failed");
    }
}
