using System.Data.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections;

/// <summary>Reads and writes collection definitions in the project's "_collections" table.</summary>
public static class CollectionStore
{
    public static Task<List<Collection>> LoadAllAsync(ProjectDatabase db, CancellationToken ct = default) =>
        db.ReadAsync(async conn =>
        {
            await using var cmd = db.Command(conn, null, "SELECT \"data\", \"id\", \"system\", \"created\", \"updated\" FROM \"_collections\" ORDER BY \"created\", \"id\"");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<Collection>();
            while (await r.ReadAsync(ct)) list.Add(CollectionJson.ReadStored(r.GetString(0)));
            return list;
        }, ct);

    public static async Task InsertAsync(ProjectDatabase db, DbTransaction tx, Collection c, CancellationToken ct = default)
    {
        var p = new SqlParams();
        var sql = $"INSERT INTO \"_collections\" (\"id\", \"name\", \"type\", \"system\", \"data\", \"created\", \"updated\") VALUES ({p.Add(c.Id)}, {p.Add(c.Name)}, {p.Add(c.Type.ToJson())}, {p.Add(db.Dialect.ToDbValue(ColumnKind.Bool, c.System))}, {p.Add(CollectionJson.ToJsonString(c, includeSecrets: true))}, {p.Add(c.Created)}, {p.Add(c.Updated)})";
        await db.ExecuteAsync(tx, sql, p, ct);
    }

    public static async Task UpdateAsync(ProjectDatabase db, DbTransaction tx, Collection c, CancellationToken ct = default)
    {
        var p = new SqlParams();
        var sql = $"UPDATE \"_collections\" SET \"name\" = {p.Add(c.Name)}, \"type\" = {p.Add(c.Type.ToJson())}, \"system\" = {p.Add(db.Dialect.ToDbValue(ColumnKind.Bool, c.System))}, \"data\" = {p.Add(CollectionJson.ToJsonString(c, includeSecrets: true))}, \"created\" = {p.Add(c.Created)}, \"updated\" = {p.Add(c.Updated)} WHERE \"id\" = {p.Add(c.Id)}";
        await db.ExecuteAsync(tx, sql, p, ct);
    }

    public static async Task DeleteAsync(ProjectDatabase db, DbTransaction tx, string id, CancellationToken ct = default)
    {
        var p = new SqlParams();
        await db.ExecuteAsync(tx, $"DELETE FROM \"_collections\" WHERE \"id\" = {p.Add(id)}", p, ct);
    }
}
