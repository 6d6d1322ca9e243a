using PaperGao.Core.Data;

namespace PaperGao.Core.Push;

/// <summary>The "_pushSends" system table: one row per send, its counters updated while it runs.</summary>
public static class PushSendStore
{
    private const string Columns = "\"id\", \"status\", \"target\", \"recipients\", \"accepted\", \"rejected\", \"invalid\", \"retried\", \"error\", \"created\", \"updated\"";

    public static async Task InsertAsync(ProjectDatabase db, PushSendLog log, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"INSERT INTO \"_pushSends\" ({Columns}) VALUES ({p.Add(log.Id)}, {p.Add(log.Status)}, {p.Add(log.Target)}, {p.Add(log.Recipients)}, " +
                  $"{p.Add(log.Accepted)}, {p.Add(log.Rejected)}, {p.Add(log.Invalid)}, {p.Add(log.Retried)}, {p.Add(log.Error)}, {p.Add(log.Created)}, {p.Add(log.Updated)})";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    public static async Task UpdateAsync(ProjectDatabase db, PushSendLog log, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"UPDATE \"_pushSends\" SET \"status\" = {p.Add(log.Status)}, \"recipients\" = {p.Add(log.Recipients)}, \"accepted\" = {p.Add(log.Accepted)}, " +
                  $"\"rejected\" = {p.Add(log.Rejected)}, \"invalid\" = {p.Add(log.Invalid)}, \"retried\" = {p.Add(log.Retried)}, \"error\" = {p.Add(log.Error)}, " +
                  $"\"updated\" = {p.Add(log.Updated)} WHERE \"id\" = {p.Add(log.Id)}";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    public static async Task<PushSendLog?> FindAsync(ProjectDatabase db, string id, CancellationToken ct)
    {
        var p = new SqlParams();
        var list = await ReadAsync(db, $"SELECT {Columns} FROM \"_pushSends\" WHERE \"id\" = {p.Add(id)}", p, ct);
        return list.Count > 0 ? list[0] : null;
    }

    /// <summary>The most recent sends, newest first.</summary>
    public static Task<List<PushSendLog>> ListRecentAsync(ProjectDatabase db, int limit, CancellationToken ct) =>
        ReadAsync(db, $"SELECT {Columns} FROM \"_pushSends\" ORDER BY \"created\" DESC, \"id\" DESC LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}", new SqlParams(), ct);

    private static Task<List<PushSendLog>> ReadAsync(ProjectDatabase db, string sql, SqlParams p, CancellationToken ct) =>
        db.ReadAsync(async conn =>
        {
            await using var cmd = db.Command(conn, null, sql, p);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<PushSendLog>();
            while (await r.ReadAsync(ct)) list.Add(new PushSendLog(r.GetString(0), r.GetString(1), r.GetString(2), Convert.ToInt64(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(5), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(6), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
                r.GetString(8), r.GetString(9), r.GetString(10)));
            return list;
        }, ct);
}
