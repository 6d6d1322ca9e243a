using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Push;

/// <summary>
/// The "_pushJobs" table: every accepted send until it is done, with a lease (a time) held by the node running it and
/// renewed while it runs, and its progress (a cursor over the devices, after every finished page). A job whose lease
/// has passed (its node stopped or died) is claimed by one node (a conditional UPDATE, so two nodes never both take it)
/// and continues after its cursor.
/// </summary>
public static class PushJobStore
{
    /// <summary>How long a lease lasts without renewal.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromMinutes(2);

    /// <summary>The end of a lease taken now on the project's clock.</summary>
    public static string LeaseFromNow(TimeProvider clock) => DateTimes.Format(clock.GetUtcNow() + LeaseTime);

    public static async Task InsertAsync(ProjectDatabase db, PushJob job, string lease, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"INSERT INTO \"_pushJobs\" (\"id\", \"job\", \"lease\", \"created\") VALUES ({p.Add(job.SendId)}, {p.Add(PushJobJson.Write(job))}, {p.Add(lease)}, {p.Add(job.Created)})";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    public static async Task DeleteAsync(ProjectDatabase db, string id, CancellationToken ct)
    {
        var p = new SqlParams();
        await db.WriteAsync(tx => db.ExecuteAsync(tx, $"DELETE FROM \"_pushJobs\" WHERE \"id\" = {p.Add(id)}", p, ct), ct);
    }

    /// <summary>Stores how far the send got (the job with its <see cref="PushJob.Progress"/>): a resumed send continues after it.</summary>
    public static async Task SaveProgressAsync(ProjectDatabase db, PushJob job, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"UPDATE \"_pushJobs\" SET \"job\" = {p.Add(PushJobJson.Write(job))} WHERE \"id\" = {p.Add(job.SendId)}";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    /// <summary>Sets the lease (renewal while running, or "" to hand the job back at once when the node stops).</summary>
    public static async Task SetLeaseAsync(ProjectDatabase db, string id, string lease, CancellationToken ct)
    {
        var p = new SqlParams();
        await db.WriteAsync(tx => db.ExecuteAsync(tx, $"UPDATE \"_pushJobs\" SET \"lease\" = {p.Add(lease)} WHERE \"id\" = {p.Add(id)}", p, ct), ct);
    }

    /// <summary>Extends the leases of these jobs (one statement).</summary>
    public static async Task RenewAsync(ProjectDatabase db, IReadOnlyCollection<string> ids, string lease, CancellationToken ct)
    {
        var p = new SqlParams();
        var sql = $"UPDATE \"_pushJobs\" SET \"lease\" = {p.Add(lease)} WHERE \"id\" IN ({string.Join(", ", ids.Select(id => p.Add(id)))})";
        await db.WriteAsync(tx => db.ExecuteAsync(tx, sql, p, ct), ct);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> jobs whose lease has passed, oldest first, leaving out those this process
    /// already holds (<paramref name="held"/>); unreadable rows are dropped.
    /// </summary>
    public static async Task<List<PushJob>> ClaimExpiredAsync(ProjectDatabase db, TimeProvider clock, int limit, IReadOnlySet<string> held, CancellationToken ct)
    {
        var now = DateTimes.Now(clock);
        var candidates = await db.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            await using var cmd = db.Command(conn, null,
                $"SELECT \"id\", \"job\", \"lease\" FROM \"_pushJobs\" WHERE \"lease\" < {p.Add(now)} ORDER BY \"created\", \"id\" LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}", p);
            var list = new List<(string Id, string Job, string Lease)>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetString(1), r.GetString(2)));
            return list;
        }, ct);
        var claimed = new List<PushJob>();
        foreach (var (id, json, lease) in candidates)
        {
            if (held.Contains(id)) continue;
            var job = PushJobJson.Read(json);
            if (job is null)
            {
                await DeleteAsync(db, id, ct);
                continue;
            }
            var p = new SqlParams();
            var n = await db.WriteAsync(tx => db.ExecuteAsync(tx,
                $"UPDATE \"_pushJobs\" SET \"lease\" = {p.Add(LeaseFromNow(clock))} WHERE \"id\" = {p.Add(id)} AND \"lease\" = {p.Add(lease)}", p, ct), ct);
            if (n == 1) claimed.Add(job);
        }
        return claimed;
    }
}
