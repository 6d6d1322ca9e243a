using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>
/// The time limit of one SQLite connection: a progress handler SQLite calls every few thousand virtual-machine steps
/// stops the running statement (SQLITE_INTERRUPT) once the deadline has passed, the caller's cancellation fired or the
/// database is closing. The deadline restarts with every command handed out (a per-statement limit) and is off while the
/// connection is idle. Cheap: one tick-count read per callback.
/// </summary>
internal sealed class SqliteTimeLimit
{
    private const int StepsPerCheck = 4000;
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteTimeLimit> ByConnection = [];
    private static readonly delegate_progress Callback = static state => ((SqliteTimeLimit)state).ShouldStop() ? 1 : 0;
    private long _limitMs;
    private long _deadline = long.MaxValue;
    private CancellationToken _token;
    private volatile bool _stopping;

    /// <summary>True when the last interrupt came from the deadline (not from cancellation).</summary>
    public bool TimedOut { get; private set; }

    public static SqliteTimeLimit Attach(SqliteConnection connection)
    {
        var limit = new SqliteTimeLimit();
        raw.sqlite3_progress_handler(connection.Handle, StepsPerCheck, Callback, limit);
        ByConnection.AddOrUpdate(connection, limit);
        return limit;
    }

    public static SqliteTimeLimit? Of(SqliteConnection connection) => ByConnection.TryGetValue(connection, out var l) ? l : null;

    /// <summary>Starts a unit of work (a read or a write) under the limit and the caller's cancellation.</summary>
    public void Begin(TimeSpan limit, CancellationToken ct)
    {
        _limitMs = limit <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(limit.TotalMilliseconds);
        _token = ct;
        TimedOut = false;
        Restart();
    }

    /// <summary>A new statement: the full limit again.</summary>
    public void Restart() => _deadline = _limitMs == 0 ? long.MaxValue : Environment.TickCount64 + _limitMs;

    public void End()
    {
        _deadline = long.MaxValue;
        _token = default;
    }

    /// <summary>The database is closing: whatever runs on this connection stops at its next check.</summary>
    public void Stop() => _stopping = true;

    private bool ShouldStop()
    {
        if (_stopping || _token.IsCancellationRequested) return true;
        if (Environment.TickCount64 <= _deadline) return false;
        TimedOut = true;
        return true;
    }
}
