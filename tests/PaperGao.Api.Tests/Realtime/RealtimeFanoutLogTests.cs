using Microsoft.Extensions.Logging;
using Npgsql;
using PaperGao.Api.Realtime;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// What a node logs when its realtime bus reports something: PostgreSQL ending the bus's listening connection (57P01
/// when the database shuts down or an administrator terminates the backend, a broken socket) is a reconnect, one debug
/// line; every other failure of the fan-out stays an error.
/// </summary>
public sealed class RealtimeFanoutLogTests
{
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
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
        RealtimeServices.LogFanoutError(log, new RealtimeBusConnectionLostException(Postgres(sqlState)));
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
        RealtimeServices.LogFanoutError(log, new PostgresException("permission denied", "ERROR", "ERROR", "42501"));
        RealtimeServices.LogFanoutError(log, new InvalidOperationException("Realtime fan-out queue full: a notice was dropped."));
        Assert.Equal(2, log.Lines.Count);
        Assert.All(log.Lines, l => Assert.Equal(LogLevel.Error, l.Level));
        Assert.All(log.Lines, l => Assert.Equal("Realtime fan-out failed", l.Message));
    }
}
