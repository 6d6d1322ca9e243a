using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Auth;

/// <summary>Sign-up, sign-in and raw database reads the auth and rules tests share.</summary>
internal static class Users
{
    public const string Password = "User-password-123";

    /// <summary>Signs a user up through the records API of "users" (as a guest) and returns its id.</summary>
    public static async Task<string> SignUpAsync(PaperGaoApp app, string email, CancellationToken ct, string collection = "users", JsonObject? extra = null)
    {
        var body = new JsonObject { ["email"] = email, ["password"] = Password, ["passwordConfirm"] = Password };
        if (extra is not null) foreach (var (k, v) in extra) body[k] = v?.DeepClone();
        var (status, rec) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/{collection}/records", body, ct);
        if (status != 200) throw new InvalidOperationException($"sign-up failed: {status} {rec?.ToJsonString()}");
        return rec!["id"]!.GetValue<string>();
    }

    public static async Task<string> SignInAsync(PaperGaoApp app, string email, CancellationToken ct, string collection = "users", string password = Password)
    {
        var (status, body) = await SendAsync(app.Client, HttpMethod.Post, $"/api/collections/{collection}/auth-with-password", new { identity = email, password }, ct);
        if (status != 200) throw new InvalidOperationException($"sign-in failed: {status} {body?.ToJsonString()}");
        return body!["token"]!.GetValue<string>();
    }

    public static HttpClient ClientWith(PaperGaoApp app, string token)
    {
        var c = app.CreateClient();
        c.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return c;
    }

    public static async Task<HttpClient> SignedInClientAsync(PaperGaoApp app, string email, CancellationToken ct, string collection = "users") =>
        ClientWith(app, await SignInAsync(app, email, ct, collection));

    /// <summary>Sets collection options through the collections API as superuser.</summary>
    public static async Task PatchCollectionAsync(PaperGaoApp app, string collection, object patch, CancellationToken ct)
    {
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/collections/" + collection, patch, ct);
        if (status != 200) throw new InvalidOperationException($"collection patch failed: {status} {body?.ToJsonString()}");
    }

    /// <summary>One value read straight from the default project's database (what no API shows, e.g. a password hash).</summary>
    public static async Task<string?> ReadRawAsync(PaperGaoApp app, string table, string column, string id, CancellationToken ct)
    {
        DbConnection conn;
        string sql;
        if (app.Kind == DatabaseKind.Postgres)
        {
            conn = new NpgsqlConnection(app.Settings.Db);
            sql = $"SELECT \"{column}\" FROM \"p_main\".\"{table}\" WHERE id = @id";
        }
        else
        {
            conn = new SqliteConnection($"Data Source={Path.Combine(app.Settings.Dir, "projects", "main", "data.db")};Pooling=False");
            sql = $"SELECT \"{column}\" FROM \"{table}\" WHERE id = @id";
        }
        await using (conn)
        {
            await conn.OpenAsync(ct);
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            var p = cmd.CreateParameter();
            p.ParameterName = "id";
            p.Value = id;
            cmd.Parameters.Add(p);
            return (await cmd.ExecuteScalarAsync(ct))?.ToString();
        }
    }
}
