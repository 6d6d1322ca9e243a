using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Auth;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Parity;

/// <summary>
/// An auth record's email with emailVisibility off: shown to the record itself, superusers and the callers the
/// manageRule allows, in lists, views, expands and realtime events alike; never to anyone else through an expand of a
/// record they may see all of (PocketBase resolves the flag per fetched record, so does PaperGao).
/// </summary>
public sealed class EmailVisibilityTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Emails_follow_the_viewer_in_lists_views_expands_and_realtime(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject
        {
            ["listRule"] = "", ["viewRule"] = "", ["manageRule"] = "@request.auth.name = 'Boss'",
        }, ct);
        Assert.Equal(200, status);
        // "staff": another auth collection nobody but superusers manages; users point at it.
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "staff", ["type"] = "auth", ["listRule"] = "", ["viewRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }, ct);
        var (_, staffCollection) = await SendAsync(su, HttpMethod.Get, "/api/collections/staff", null, ct);
        (status, _) = await SendAsync(su, HttpMethod.Patch, "/api/collections/users", new JsonObject
        {
            ["fields"] = AppendFields(await FieldsOfAsync(su, "users", ct),
                new JsonObject { ["name"] = "friend", ["type"] = "relation", ["collectionId"] = "_pb_users_auth_", ["maxSelect"] = 1 },
                new JsonObject { ["name"] = "mentor", ["type"] = "relation", ["collectionId"] = staffCollection!["id"]!.GetValue<string>(), ["maxSelect"] = 1 }),
        }, ct);
        Assert.Equal(200, status);
        var (ss, staff) = await SendAsync(su, HttpMethod.Post, "/api/collections/staff/records", new
        {
            email = "mentor@example.com", password = Users.Password, passwordConfirm = Users.Password, title = "M",
        }, ct);
        Assert.Equal(200, ss);
        var mentor = staff!["id"]!.GetValue<string>();

        var bob = await Users.SignUpAsync(app, "bob@example.com", ct);
        var carol = await Users.SignUpAsync(app, "carol@example.com", ct, extra: new JsonObject { ["friend"] = bob });
        var boss = await Users.SignUpAsync(app, "boss@example.com", ct, extra: new JsonObject { ["name"] = "Boss", ["friend"] = bob, ["mentor"] = mentor });
        using var carolHttp = await Users.SignedInClientAsync(app, "carol@example.com", ct);
        using var bossHttp = await Users.SignedInClientAsync(app, "boss@example.com", ct);

        // Lists: the manager sees every email, a plain user only their own.
        Assert.Equal(["bob@example.com", "boss@example.com", "carol@example.com"], Emails(await GetJsonAsync(bossHttp, "/api/collections/users/records", ct)));
        Assert.Equal(["", "", "carol@example.com"], Emails(await GetJsonAsync(carolHttp, "/api/collections/users/records", ct)));
        Assert.Equal("bob@example.com", (await GetJsonAsync(bossHttp, "/api/collections/users/records/" + bob, ct))["email"]?.GetValue<string>());
        Assert.Null((await GetJsonAsync(carolHttp, "/api/collections/users/records/" + bob, ct))["email"]);

        // Expands: each related record on its own terms. Carol sees her own email, not her friend's (also in her
        // sign-in answer, which used to show every expanded email); the manager sees managed users', not the mentor's.
        var self = await GetJsonAsync(carolHttp, $"/api/collections/users/records/{carol}?expand=friend", ct);
        Assert.Equal("carol@example.com", self["email"]!.GetValue<string>());
        Assert.Null(self["expand"]!["friend"]!["email"]);
        var (signIn, auth) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/users/auth-with-password?expand=friend",
            new { identity = "carol@example.com", password = Users.Password }, ct);
        Assert.Equal(200, signIn);
        Assert.Equal("carol@example.com", auth!["record"]!["email"]!.GetValue<string>());
        Assert.Null(auth["record"]!["expand"]!["friend"]!["email"]);
        var managed = await GetJsonAsync(bossHttp, $"/api/collections/users/records?filter=id='{carol}'&expand=friend", ct);
        Assert.Equal("bob@example.com", managed["items"]![0]!["expand"]!["friend"]!["email"]!.GetValue<string>());
        var withMentor = await GetJsonAsync(bossHttp, $"/api/collections/users/records/{boss}?expand=mentor", ct);
        Assert.Equal("boss@example.com", withMentor["email"]!.GetValue<string>());
        Assert.Null(withMentor["expand"]!["mentor"]!["email"]);

        // Realtime: the manager's event carries the email, the plain user's does not.
        await using var bossStream = await SseStream.OpenAsync(app.CreateClient(), ct);
        await using var carolStream = await SseStream.OpenAsync(app.CreateClient(), ct);
        Assert.Equal(204, await RealtimeHttp.SubscribeAsync(bossHttp, bossStream.ClientId, ct, "users/" + bob));
        Assert.Equal(204, await RealtimeHttp.SubscribeAsync(carolHttp, carolStream.ClientId, ct, "users/" + bob));
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Patch, "/api/collections/users/records/" + bob, new { name = "Bobby" }, ct)).Status);
        Assert.Equal("bob@example.com", (await bossStream.NextAsync(ct)).Json["record"]!["email"]?.GetValue<string>());
        var carolEvent = (await carolStream.NextAsync(ct)).Json["record"]!;
        Assert.Equal("Bobby", carolEvent["name"]!.GetValue<string>());
        Assert.Null(carolEvent["email"]);
    }

    private static string[] Emails(JsonNode list) =>
        [.. list["items"]!.AsArray().Select(i => i!["email"]?.GetValue<string>() ?? "").Order(StringComparer.Ordinal)];

    private static async Task<JsonArray> FieldsOfAsync(HttpClient su, string collection, CancellationToken ct) =>
        (await GetJsonAsync(su, "/api/collections/" + collection, ct))["fields"]!.AsArray();

    private static JsonArray AppendFields(JsonArray fields, params JsonObject[] extra)
    {
        var all = new JsonArray(fields.Select(f => f!.DeepClone()).ToArray());
        foreach (var f in extra) all.Add(f);
        return all;
    }
}
