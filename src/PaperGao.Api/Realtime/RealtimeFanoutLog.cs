using Microsoft.Extensions.Logging;
using Npgsql;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// What a node logs when its realtime fan-out or bus reports something. A failure is an error. A lost bus connection is
/// not: PostgreSQL ended it (a restart, a shutdown, an administrator's 57P01), the bus reconnects and the node then
/// reloads its collections and settings, so it is one debug line. A database that does not exist (3D000: the node's
/// database was dropped) is an outage: the bus retries every second and every notice fails until the database is back,
/// so it is one warning when it starts and one when the bus is listening again (debug lines in between), not an error
/// a second.
/// </summary>
public sealed class RealtimeFanoutLog(ILogger log)
{
    private readonly Lock _gate = new();
    private bool _databaseMissing;

    /// <summary>A failure reported by the fan-out, the relay or the bus.</summary>
    public void Failed(Exception ex)
    {
        if (IsDatabaseMissing(ex))
        {
            bool first;
            lock (_gate)
            {
                first = !_databaseMissing;
                _databaseMissing = true;
            }
            if (first) log.LogWarning("Realtime bus: the database is unavailable ({Reason}); retrying, realtime notices between nodes are lost until it is back", Reason(ex));
            else log.LogDebug("Realtime bus: the database is still unavailable ({Reason})", Reason(ex));
        }
        else if (ex is RealtimeBusConnectionLostException) log.LogDebug("{Message}", ex.Message);
        else log.LogError(ex, "Realtime fan-out failed");
    }

    /// <summary>The bus is listening (again): ends an outage.</summary>
    public void Listening()
    {
        lock (_gate)
        {
            if (!_databaseMissing) return;
            _databaseMissing = false;
        }
        log.LogWarning("Realtime bus: the database is available again; listening");
    }

    /// <summary>PostgreSQL's 3D000 (invalid_catalog_name: "database ... does not exist"), itself or as the cause.</summary>
    public static bool IsDatabaseMissing(Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.InvalidCatalogName;

    private static string Reason(Exception ex) => (ex as PostgresException ?? ex.InnerException as PostgresException)?.MessageText ?? ex.Message;
}
