using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Collections.CollectionsHttp;

namespace PaperGao.Api.Tests.Parity;

/// <summary>
/// Which errors an auth record write answers with, in PocketBase's order (record_crud_test.go): the auth form's
/// password errors alone first; once they pass, every field error of the record together, relation errors included.
/// </summary>
public sealed class AuthFormErrorOrderTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Auth_form_errors_come_alone_then_record_errors_together(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var users = await GetRecordCollectionIdAsync(su, "users", ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "members", ["type"] = "auth",
            ["fields"] = new JsonArray(Field("rel", "relation", new JsonObject { ["collectionId"] = users, ["maxSelect"] = 1 })),
        }, ct);
        const string url = "/api/collections/members/records";

        // An empty body: both password inputs are required.
        var (status, error) = await PostAsync(su, url, new JsonObject(), ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_required", Code(error!["data"]!["password"]));
        Assert.Equal("validation_required", Code(error["data"]!["passwordConfirm"]));

        // A confirmation mismatch is answered alone: no email or relation error yet.
        (status, error) = await PostAsync(su, url, new JsonObject
        {
            ["password"] = "1234567", ["passwordConfirm"] = "1234560", ["email"] = "invalid", ["rel"] = "invalid",
        }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_values_mismatch", Code(error!["data"]!["passwordConfirm"]));
        Assert.Null(error["data"]!["email"]);
        Assert.Null(error["data"]!["rel"]);

        // Once the form passes, the short password and the missing relation record are reported together.
        (status, error) = await PostAsync(su, url, new JsonObject { ["password"] = "1234567", ["passwordConfirm"] = "1234567", ["rel"] = "invalid" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_missing_rel_records", Code(error!["data"]!["rel"]));
        Assert.NotNull(error["data"]!["password"]);
        Assert.Equal(0, await CountRecordsAsync(su, "members", ct));

        var member = await CreateRecordAsync(su, "members", new JsonObject
        {
            ["email"] = "member@example.test", ["password"] = "Member-pass-1", ["passwordConfirm"] = "Member-pass-1",
        }, ct);
        var one = $"{url}/{member["id"]!.GetValue<string>()}";

        // On update, a confirmation without a password: password required, confirmation mismatched, nothing else.
        (status, error) = await PatchAsync(su, one, new JsonObject { ["password"] = "", ["passwordConfirm"] = "1234560", ["email"] = "invalid" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_required", Code(error!["data"]!["password"]));
        Assert.Equal("validation_values_mismatch", Code(error["data"]!["passwordConfirm"]));
        Assert.Null(error["data"]!["email"]);

        (status, error) = await PatchAsync(su, one, new JsonObject { ["password"] = "1234567", ["passwordConfirm"] = "1234567", ["rel"] = "invalid" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("validation_missing_rel_records", Code(error!["data"]!["rel"]));
        Assert.NotNull(error["data"]!["password"]);
        Assert.Equal("member@example.test", (await GetRecordAsync(su, "members", member["id"]!.GetValue<string>(), ct))["email"]!.GetValue<string>());
    }

    private static async Task<string> GetRecordCollectionIdAsync(HttpClient su, string name, CancellationToken ct)
    {
        var (status, body) = await GetAsync(su, $"/api/collections/{name}", ct);
        Assert.Equal(200, status);
        return body!["id"]!.GetValue<string>();
    }
}
