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
    /// <param name="withVersion">The row's version (<see cref="ISqlDialect.RowVersion"/>) follows the fields, as one more column.</param>
    public static string SelectByIdSql(Collection c, ISqlDialect d, bool lockRow = false, bool withVersion = false)
    {
        var perDialect = SelectLists.GetOrCreateValue(c);
        var key = d.Name + (lockRow ? ":byid-lock" : ":byid") + (withVersion ? "-version" : "");
        lock (perDialect)
        {
            if (!perDialect.TryGetValue(key, out var s))
            {
                var version = withVersion ? ", " + (d.RowVersion ?? throw new NotSupportedException($"{d.Name} has no row version.")) : "";
                s = $"SELECT {string.Join(", ", c.Fields.Select(f => "t." + d.Quote(f.Name)))}{version} FROM {d.Quote(c.Name)} AS t WHERE t.{d.Quote("id")} = @p0 LIMIT 1" + (lockRow ? d.LockRowsSuffix : "");
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

    /// <summary>
    /// Finds one record by id (no rule) outside any transaction, with the version it was read at (the dialect must have
    /// <see cref="ISqlDialect.RowVersion"/>): an update can then write it only if it is still that version.
    /// </summary>
    public static Task<VersionedRecord?> FindVersionedAsync(ProjectDatabase db, Collection c, string id, CancellationToken ct) =>
        db.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            p.Add(id);
            await using var cmd = db.Command(conn, null, SelectByIdSql(c, db.Dialect, withVersion: true), p);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new VersionedRecord(Read(c, reader), reader.GetString(c.Fields.Count));
        }, ct);
}

/// <summary>A record as read, and the version of its row at that moment (<see cref="ISqlDialect.RowVersion"/>).</summary>
public sealed record VersionedRecord(Record Row, string Version);
