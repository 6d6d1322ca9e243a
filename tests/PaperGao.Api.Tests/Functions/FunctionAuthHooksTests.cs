using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

public sealed class FunctionAuthHooksTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Auth_hooks_can_refuse_a_sign_in(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        var (status, body) = await DeployAsync(su, """
            onRecordAuthWithPasswordRequest((e) => { if (e.record === null) throw new BadRequestError("No such user."); e.next() }, "_superusers")
            onRecordAuthRequest((e) => { if (e.requestInfo().headers["x_block"]) throw new ForbiddenError("Blocked."); e.next() })
            """, ct);
        Assert.True(status == 200, body?.ToJsonString());
        const string url = "/api/collections/_superusers/auth-with-password";
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = "nobody@papergao.test", password = "x" }, ct);
        Assert.Equal(400, status);
        Assert.Equal("No such user.", body!["message"]!.GetValue<string>());
        (status, body) = await SendAsync(app.Client, HttpMethod.Post, url, new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.NotNull(body!["token"]);
        using var blocked = app.CreateClient();
        blocked.DefaultRequestHeaders.Add("X-Block", "1");
        (status, body) = await SendAsync(blocked, HttpMethod.Post, url, new { identity = PaperGaoApp.SuperuserEmail, password = PaperGaoApp.SuperuserPassword }, ct);
        Assert.Equal(403, status);
        Assert.Null(body!["token"]);
    }
}
