using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Projects;

/// <summary>Creates the system tables of a project, and on a new project its "_superusers" and "users" auth collections and settings.</summary>
public static class ProjectInitializer
{
    public const string SuperusersId = "pbc_3142635823";
    public const string SuperusersName = "_superusers";
    public const string UsersId = "_pb_users_auth_";

    public static async Task<Project> OpenAsync(string name, ProjectDatabase db, string storageDir, TimeProvider time, CancellationToken ct = default)
    {
        await db.WriteAsync(async tx =>
        {
            await db.LockMigrationsAsync(tx, ct); // nodes starting together on one PostgreSQL database migrate one after the other
            foreach (var sql in SystemSchema.CreateStatements) await db.ExecuteAsync(tx, sql, null, ct);
            var count = Convert.ToInt64(await db.ScalarAsync(tx.Connection!, tx, "SELECT COUNT(*) FROM \"_collections\"", null, ct), System.Globalization.CultureInfo.InvariantCulture);
            if (count == 0) await SeedAsync(db, tx, name, time, ct);
            await EnsureSystemCollectionsAsync(db, tx, time, ct);
        }, ct);
        var collections = await CollectionStore.LoadAllAsync(db, ct);
        var settings = await LoadSettingsAsync(db, ct);
        return new Project(name, db, new CollectionSet(collections, 1), settings, storageDir) { Time = time };
    }

    private static async Task SeedAsync(ProjectDatabase db, System.Data.Common.DbTransaction tx, string name, TimeProvider time, CancellationToken ct)
    {
        var now = DateTimes.Now(time);
        var superusers = CollectionScaffolds.Create(CollectionType.Auth, SuperusersName);
        superusers.Id = SuperusersId;
        superusers.System = true;
        superusers.Auth!.AuthToken = superusers.Auth.AuthToken with { Duration = 86400 };
        superusers.Indexes = [.. CollectionScaffolds.AuthIndexes(superusers)];

        var users = CollectionScaffolds.Create(CollectionType.Auth, "users");
        users.Id = UsersId;
        users.ListRule = users.ViewRule = users.UpdateRule = users.DeleteRule = "id = @request.auth.id";
        users.CreateRule = "";
        users.Indexes = [.. CollectionScaffolds.AuthIndexes(users)];
        var nameField = Collections.Fields.FieldRegistry.Create("text")!;
        nameField.Name = "name";
        nameField.Id = Collections.Fields.FieldIds.For("text", "name");
        ((Collections.Fields.TextField)nameField).Max = 255;
        users.Fields.Insert(users.Fields.Count - 2, nameField);

        foreach (var c in new[] { superusers, users })
        {
            c.Created = c.Updated = now;
            foreach (var sql in TableSchema.CreateTable(c, db.Dialect)) await db.ExecuteAsync(tx, sql, null, ct);
            await CollectionStore.InsertAsync(db, tx, c, ct);
        }
        var settings = new ProjectSettings();
        settings.Meta = settings.Meta with { AppName = name == ProjectNames.Default ? "PaperGao" : name };
        await SaveSettingsAsync(db, tx, settings, now, ct);
    }

    /// <summary>Creates the system collections a project lacks (new projects, and projects made by an older version).</summary>
    private static async Task EnsureSystemCollectionsAsync(ProjectDatabase db, System.Data.Common.DbTransaction tx, TimeProvider time, CancellationToken ct)
    {
        foreach (var c in SystemCollections.Create())
        {
            var p = new SqlParams();
            var exists = Convert.ToInt64(await db.ScalarAsync(tx.Connection!, tx, $"SELECT COUNT(*) FROM \"_collections\" WHERE LOWER(\"name\") = LOWER({p.Add(c.Name)})", p, ct),
                System.Globalization.CultureInfo.InvariantCulture) > 0;
            if (exists) continue;
            c.Created = c.Updated = DateTimes.Now(time);
            foreach (var sql in TableSchema.CreateTable(c, db.Dialect)) await db.ExecuteAsync(tx, sql, null, ct);
            await CollectionStore.InsertAsync(db, tx, c, ct);
        }
    }

    public static Task<ProjectSettings> LoadSettingsAsync(ProjectDatabase db, CancellationToken ct = default) =>
        db.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var raw = await db.ScalarAsync(conn, null, $"SELECT \"value\" FROM \"_params\" WHERE \"id\" = {p.Add("settings")}", p, ct);
            return raw is string s ? SettingsJson.FromStored(s) : new ProjectSettings();
        }, ct);

    /// <param name="now">The project's clock in the storage layout (<see cref="Project.Now"/>).</param>
    public static async Task SaveSettingsAsync(ProjectDatabase db, System.Data.Common.DbTransaction tx, ProjectSettings settings, string now, CancellationToken ct = default)
    {
        var p = new SqlParams();
        var id = p.Add("settings");
        var value = p.Add(SettingsJson.ToStored(settings));
        var created = p.Add(now);
        await db.ExecuteAsync(tx,
            $"INSERT INTO \"_params\" (\"id\", \"value\", \"created\", \"updated\") VALUES ({id}, {value}, {created}, {created}) " +
            $"ON CONFLICT (\"id\") DO UPDATE SET \"value\" = excluded.\"value\", \"updated\" = excluded.\"updated\"", p, ct);
    }
}
