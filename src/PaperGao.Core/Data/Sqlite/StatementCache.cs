using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace PaperGao.Core.Data.Sqlite;

/// <summary>
/// Keeps the compiled statements of one connection: Microsoft.Data.Sqlite only reuses a prepared statement
/// within one command object, so the same command is handed out again for the same SQL text (parameters rebound).
/// A small LRU bound keeps SQLite's memory for statements in check.
/// </summary>
internal sealed class StatementCache
{
    private const int Capacity = 64;
    private static readonly ConditionalWeakTable<SqliteConnection, StatementCache> Caches = [];
    private readonly Dictionary<string, LinkedListNode<CachedCommand>> _byText = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedCommand> _lru = new();

    public static StatementCache For(SqliteConnection connection) => Caches.GetValue(connection, _ => new StatementCache());

    public DbCommand Rent(SqliteConnection connection, DbTransaction? tx, string sql)
    {
        if (_byText.TryGetValue(sql, out var node) && !node.Value.InUse)
        {
            _lru.Remove(node);
            _lru.AddFirst(node);
            var cmd = node.Value;
            cmd.InUse = true;
            cmd.Transaction = (SqliteTransaction?)tx;
            cmd.Parameters.Clear();
            return cmd;
        }
        if (node is not null) return new SqliteCommand(sql, connection, (SqliteTransaction?)tx); // already in use (nested): a one-off
        var created = new CachedCommand(sql, connection, (SqliteTransaction?)tx) { InUse = true };
        _byText[sql] = _lru.AddFirst(created);
        if (_lru.Count > Capacity)
        {
            var last = _lru.Last!;
            _lru.RemoveLast();
            _byText.Remove(last.Value.CommandText);
            last.Value.Evict();
        }
        return created;
    }

    /// <summary>Disposes every cached statement (before the connection itself is closed).</summary>
    public static void Clear(SqliteConnection connection)
    {
        if (!Caches.TryGetValue(connection, out var cache)) return;
        foreach (var c in cache._lru) c.Evict();
        cache._lru.Clear();
        cache._byText.Clear();
        Caches.Remove(connection);
    }

    /// <summary>A command whose Dispose returns it to the cache; only eviction really disposes it.</summary>
    private sealed class CachedCommand(string sql, SqliteConnection connection, SqliteTransaction? tx) : SqliteCommand(sql, connection, tx)
    {
        private bool _evicted;

        public bool InUse { get; set; }

        public void Evict()
        {
            _evicted = true;
            if (!InUse) base.Dispose(true);
        }

        protected override void Dispose(bool disposing)
        {
            InUse = false;
            Transaction = null;
            if (_evicted) base.Dispose(disposing);
        }
    }
}
