using System.Data.Common;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Push;

/// <summary>
/// The "_pushDevices" system table of a project (the same SQL on both dialects). An endpoint is registered once: a
/// second registration of it (the same browser, maybe now signed in as someone else) takes the row over.
/// Topics are stored as ",a,b," so a topic is found with LIKE on both dialects (topic names are [A-Za-z0-9_.-]).
/// </summary>
public static class PushDeviceStore
{
    private const string Columns = "\"id\", \"collectionId\", \"userId\", \"platform\", \"endpoint\", \"p256dh\", \"auth\", \"topics\", \"created\", \"updated\"";

    /// <summary>Inserts the device, or updates the row that has its endpoint (keeping its id); returns the stored device.</summary>
    public static Task<PushDevice> UpsertAsync(ProjectDatabase db, PushDevice device, CancellationToken ct) =>
        db.WriteAsync(async tx =>
        {
            var p = new SqlParams();
            var existing = await ReadAsync(db, tx.Connection!, tx, $"SELECT {Columns} FROM \"_pushDevices\" WHERE \"endpoint\" = {p.Add(device.Endpoint)}", p, ct);
            if (existing.Count > 0)
            {
                var stored = device with { Id = existing[0].Id, Created = existing[0].Created };
                var u = new SqlParams();
                await db.ExecuteAsync(tx, $"UPDATE \"_pushDevices\" SET \"collectionId\" = {u.Add(stored.CollectionId)}, \"userId\" = {u.Add(stored.UserId)}, " +
                    $"\"platform\" = {u.Add(stored.Platform)}, \"p256dh\" = {u.Add(stored.P256dh)}, \"auth\" = {u.Add(stored.Auth)}, \"topics\" = {u.Add(TopicsText(stored.Topics))}, " +
                    $"\"updated\" = {u.Add(stored.Updated)} WHERE \"id\" = {u.Add(stored.Id)}", u, ct);
                await TrimAsync(db, tx, stored, ct);
                return stored;
            }
            var i = new SqlParams();
            await db.ExecuteAsync(tx, $"INSERT INTO \"_pushDevices\" ({Columns}) VALUES ({i.Add(device.Id)}, {i.Add(device.CollectionId)}, {i.Add(device.UserId)}, " +
                $"{i.Add(device.Platform)}, {i.Add(device.Endpoint)}, {i.Add(device.P256dh)}, {i.Add(device.Auth)}, {i.Add(TopicsText(device.Topics))}, " +
                $"{i.Add(device.Created)}, {i.Add(device.Updated)})", i, ct);
            await TrimAsync(db, tx, device, ct);
            return device;
        }, ct);

    /// <summary>The devices of one auth record, oldest first.</summary>
    public static Task<List<PushDevice>> ListOwnAsync(ProjectDatabase db, string collectionId, string userId, CancellationToken ct) =>
        db.ReadAsync(conn =>
        {
            var p = new SqlParams();
            return ReadAsync(db, conn, null, $"SELECT {Columns} FROM \"_pushDevices\" WHERE \"collectionId\" = {p.Add(collectionId)} AND \"userId\" = {p.Add(userId)} ORDER BY \"created\", \"id\"", p, ct);
        }, ct);

    /// <summary>Deletes a device of its owner only; false when there is none with that id for that owner.</summary>
    public static async Task<bool> DeleteOwnAsync(ProjectDatabase db, string id, string collectionId, string userId, CancellationToken ct)
    {
        var p = new SqlParams();
        var n = await db.WriteAsync(tx => db.ExecuteAsync(tx,
            $"DELETE FROM \"_pushDevices\" WHERE \"id\" = {p.Add(id)} AND \"collectionId\" = {p.Add(collectionId)} AND \"userId\" = {p.Add(userId)}", p, ct), ct);
        return n > 0;
    }

    /// <summary>Removes a device the push service called gone (404/410), unless it was re-registered meanwhile with other keys.</summary>
    public static async Task<bool> DeleteGoneAsync(ProjectDatabase db, PushDevice device, CancellationToken ct)
    {
        var p = new SqlParams();
        var n = await db.WriteAsync(tx => db.ExecuteAsync(tx,
            $"DELETE FROM \"_pushDevices\" WHERE \"id\" = {p.Add(device.Id)} AND \"endpoint\" = {p.Add(device.Endpoint)} AND \"p256dh\" = {p.Add(device.P256dh)}", p, ct), ct);
        return n > 0;
    }

    public static Task<PushDevice?> FindAsync(ProjectDatabase db, string id, CancellationToken ct) =>
        db.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var list = await ReadAsync(db, conn, null, $"SELECT {Columns} FROM \"_pushDevices\" WHERE \"id\" = {p.Add(id)}", p, ct);
            return list.Count > 0 ? list[0] : null;
        }, ct);

    /// <summary>How many devices match a recipients condition (see <see cref="PushRecipients"/>).</summary>
    public static Task<long> CountAsync(ProjectDatabase db, string where, SqlParams p, CancellationToken ct) =>
        db.ReadAsync(async conn => Convert.ToInt64(await db.ScalarAsync(conn, null, $"SELECT COUNT(*) FROM \"_pushDevices\" AS d WHERE {where}", p, ct),
            System.Globalization.CultureInfo.InvariantCulture), ct);

    /// <summary>One page of the devices matching a condition, by id after <paramref name="afterId"/> (keyset paging).</summary>
    public static Task<List<PushDevice>> PageAsync(ProjectDatabase db, string where, IReadOnlyList<object?> values, string afterId, int limit, CancellationToken ct) =>
        db.ReadAsync(conn =>
        {
            var p = new SqlParams();
            foreach (var v in values) p.Add(v);
            var sql = $"SELECT {Prefixed} FROM \"_pushDevices\" AS d WHERE ({where}) AND d.\"id\" > {p.Add(afterId)} ORDER BY d.\"id\" LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            return ReadAsync(db, conn, null, sql, p, ct);
        }, ct);

    public static string TopicsText(IReadOnlyList<string> topics) => topics.Count == 0 ? "" : "," + string.Join(',', topics) + ",";

    private static readonly string Prefixed = string.Join(", ", Columns.Split(", ").Select(c => "d." + c));

    /// <summary>Keeps the newest <see cref="PushLimits.DevicesPerUser"/> devices of the record.</summary>
    private static async Task TrimAsync(ProjectDatabase db, DbTransaction tx, PushDevice device, CancellationToken ct)
    {
        var p = new SqlParams();
        var own = await ReadAsync(db, tx.Connection!, tx, $"SELECT {Columns} FROM \"_pushDevices\" WHERE \"collectionId\" = {p.Add(device.CollectionId)} AND \"userId\" = {p.Add(device.UserId)} ORDER BY \"updated\" DESC, \"id\"", p, ct);
        foreach (var old in own.Skip(PushLimits.DevicesPerUser))
        {
            var d = new SqlParams();
            await db.ExecuteAsync(tx, $"DELETE FROM \"_pushDevices\" WHERE \"id\" = {d.Add(old.Id)}", d, ct);
        }
    }

    private static async Task<List<PushDevice>> ReadAsync(ProjectDatabase db, DbConnection conn, DbTransaction? tx, string sql, SqlParams p, CancellationToken ct)
    {
        await using var cmd = db.Command(conn, tx, sql, p);
        var list = new List<PushDevice>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var topics = r.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries);
            list.Add(new PushDevice(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), topics,
                r.GetString(8), r.GetString(9)));
        }
        return list;
    }

    /// <summary>A new device id (15 characters [a-z0-9], like record ids).</summary>
    public static string NewId() => RandomString.LowerAlphanumeric(15);
}
