using System.Data.Common;
using System.Runtime.CompilerServices;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;

namespace PaperGao.Core.Records;

/// <summary>SQL pieces for a collection's records: the select list (cached per collection and dialect) and row reading.</summary>
public static class RecordSql
{
    private static readonly ConditionalWeakTable<Collection, Dictionary<string, string>> SelectLists = [];

    /// <summary>`t."id", t."title", ...` in field order (ordinal i = Fields[i]).</summary>
    public static string SelectList(Collection c, ISqlDialect d, string alias = "t")
    {
        var perDialect = SelectLists.GetOrCreateValue(c);
        var key = d.Name + ":" + alias;
        lock (perDialect)
        {
            if (!perDialect.TryGetValue(key, out var s))
            {
                s = string.Join(", ", c.Fields.Select(f => alias + "." + d.Quote(f.Name)));
                perDialect[key] = s;
            }
            return s;
        }
    }

    /// <summary>Reads the current row (selected with <see cref="SelectList"/>) into a Record.</summary>
    public static Record Read(Collection c, DbDataReader reader)
    {
        var r = new Record(c);
        for (var i = 0; i < c.Fields.Count; i++) r.Values[c.Fields[i].Name] = c.Fields[i].Read(reader, i);
        return r;
    }

    public static async Task<List<Record>> ReadAllAsync(Collection c, DbCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<Record>();
        while (await reader.ReadAsync(ct)) list.Add(Read(c, reader));
        return list;
    }

    /// <summary>"SELECT list FROM table AS t WHERE t.id = @p0 LIMIT 1", built once per collection definition and dialect.</summary>
    /// <param name="lockRow">The row will be written back in the same transaction: lock it (<see cref="ISqlDialect.LockRowsSuffix"/>).</param>
    public static string SelectByIdSql(Collection c, ISqlDialect d, bool lockRow = false)
    {
        var perDialect = SelectLists.GetOrCreateValue(c);
        var key = d.Name + (lockRow ? ":byid-lock" : ":byid");
        lock (perDialect)
        {
            if (!perDialect.TryGetValue(key, out var s))
            {
                s = $"SELECT {string.Join(", ", c.Fields.Select(f => "t." + d.Quote(f.Name)))} FROM {d.Quote(c.Name)} AS t WHERE t.{d.Quote("id")} = @p0 LIMIT 1" + (lockRow ? d.LockRowsSuffix : "");
                perDialect[key] = s;
            }
            return s;
        }
    }

    /// <summary>Finds one record by id (no rule), inside a transaction when given.</summary>
    public static async Task<Record?> FindByIdAsync(ProjectDatabase db, DbConnection conn, DbTransaction? tx, Collection c, string id, CancellationToken ct = default, bool lockRow = false)
    {
        var p = new SqlParams();
        p.Add(id);
        await using var cmd = db.Command(conn, tx, SelectByIdSql(c, db.Dialect, lockRow), p);
        var list = await ReadAllAsync(c, cmd, ct);
        return list.Count > 0 ? list[0] : null;
    }
}
