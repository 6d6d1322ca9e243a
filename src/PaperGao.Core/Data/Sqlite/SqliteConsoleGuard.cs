using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>
/// Keeps superuser console SQL (POST /api/sql) inside the project's own database file: an SQLite authorizer, set
/// while the console's statements are prepared, refuses ATTACH/DETACH (other files, VACUUM INTO), load_extension,
/// and every PRAGMA except a few read-only schema and check pragmas. Removed again before the connection is used for anything else.
/// </summary>
internal sealed class SqliteConsoleGuard : IDisposable
{
    private const int Deny = 1; // SQLITE_DENY
    private const int Ok = 0;
    private const int ActionPragma = 19;
    private const int ActionAttach = 24;
    private const int ActionDetach = 25;
    private const int ActionFunction = 31;

    private static readonly HashSet<string> ReadOnlyPragmas = new(StringComparer.OrdinalIgnoreCase)
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "collation_list", "function_list", "pragma_list", "compile_options", "integrity_check", "quick_check", "foreign_key_check",
    };

    private static readonly strdelegate_authorizer Authorizer = static (_, action, p0, p1, _, _) => action switch
    {
        ActionAttach or ActionDetach => Deny,
        ActionPragma => p0 is not null && ReadOnlyPragmas.Contains(p0) ? Ok : Deny, // their argument is a table or index name
        ActionFunction => string.Equals(p1, "load_extension", StringComparison.OrdinalIgnoreCase) ? Deny : Ok,
        _ => Ok,
    };

    private readonly SqliteConnection _connection;

    private SqliteConsoleGuard(SqliteConnection connection) => _connection = connection;

    public static SqliteConsoleGuard Install(SqliteConnection connection)
    {
        raw.sqlite3_set_authorizer(connection.Handle, Authorizer, null);
        return new SqliteConsoleGuard(connection);
    }

    public void Dispose() => raw.sqlite3_set_authorizer(_connection.Handle, (strdelegate_authorizer?)null, null);
}
