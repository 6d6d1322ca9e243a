using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Functions.FunctionsTestData;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

public sealed class FunctionRoutesTests(PostgresCluster postgres)
{
    private const string Code = """
        routerUse((e) => { e.set("mw", "yes"); return e.next() })
        routerAdd("GET", "/api/hello/{name}", (e) => e.json(200, { message: "Hello " + e.request.pathValue("name"), mw: e.get("mw") }))
        routerAdd("POST", "/api/echo", (e) => {
          const body = new DynamicModel({ a: "" })
          e.bindBody(body)
          return e.json(201, { a: body.a, q: e.requestInfo().query.q || "" })
        })
        routerAdd("GET", "/api/mine", (e) => e.string(200, "ok " + e.auth.collection().name), $apis.requireAuth())
        routerAdd("GET", "/api/admin-only", (e) => e.html(200, "<b>hi</b>"), $apis.requireSuperuserAuth())
        routerAdd("GET", "/api/fail", (e) => { throw new BadRequestError("nope", { title: { code: "x_code", message: "bad title" } }) })
        routerAdd("GET", "/api/go", (e) => e.redirect(302, "/api/hello/x"))
        routerAdd("GET", "/api/misc", (e) => e.json(200, { n: $app.countRecords("posts"), secret: $os.getenv("API_TOKEN"), len: $security.randomString(12).length,
          jwt: $security.parseJWT($security.createJWT({ sub: "a" }, "k", 60), "k").sub, lib: require("./lib/util.js").twice(21) }))
        routerAdd("GET", "/api/loop", (e) => { while (true) {} })
        routerAdd("GET", "/api/bomb", (e) => { const a = []; while (true) a.push("x".repeat(100000) + a.length) })
        routerAdd("GET", "/api/deep", (e) => { const f = (n) => f(n + 1) + 1; return f(0) })
        routerAdd("GET", "/api/throws", (e) => { null.boom() })
        routerAdd("GET", "/api/http", (e) => {
          try { $http.send({ url: e.request.url.query().get("u"), timeout: 5 }); return e.string(200, "sent") }
          catch (err) { return e.string(502, String(err.message || err)) }
        })
        """;

    [Theory]
    [DatabaseMatrix]
    public async Task Routes_middlewares_errors_and_limits(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        var (status, body) = await SendAsync(su, HttpMethod.Patch, "/api/functions/settings", new JsonObject { ["secrets"] = new JsonObject { ["API_TOKEN"] = "s3cret" } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal("API_TOKEN", body!["secrets"]![0]!.GetValue<string>());
        Assert.DoesNotContain("s3cret", body.ToJsonString(), StringComparison.Ordinal); // write-only
        (status, body) = await SendAsync(su, HttpMethod.Put, "/api/functions", new JsonObject
        {
            ["files"] = new JsonObject { ["main.pb.js"] = Code, ["lib/util.js"] = "module.exports = { twice: (n) => n * 2 }" },
        }, ct);
        Assert.True(status == 200, body?.ToJsonString());

        var hello = await GetJsonAsync(app.Client, "/api/hello/World", ct);
        Assert.Equal("Hello World", hello["message"]!.GetValue<string>());
        Assert.Equal("yes", hello["mw"]!.GetValue<string>());
        hello = await GetJsonAsync(app.Client, "/p/main/api/hello/There", ct);
        Assert.Equal("Hello There", hello["message"]!.GetValue<string>());

        (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/echo?q=1", new { a = "x", b = "ignored" }, ct);
        Assert.Equal(201, status);
        Assert.Equal("x", body!["a"]!.GetValue<string>());
        Assert.Equal("1", body["q"]!.GetValue<string>());

        var (s, text) = await GetTextAsync(app.Client, "/api/mine", ct);
        Assert.Equal(401, s);
        (s, text) = await GetTextAsync(su, "/api/mine", ct);
        Assert.Equal((200, "ok _superusers"), (s, text));
        (s, _) = await GetTextAsync(app.Client, "/api/admin-only", ct);
        Assert.Equal(401, s);
        (s, text) = await GetTextAsync(su, "/api/admin-only", ct);
        Assert.Equal((200, "<b>hi</b>"), (s, text));

        (status, body) = await SendAsync(app.Client, HttpMethod.Get, "/api/fail", null, ct);
        Assert.Equal(400, status);
        Assert.Equal("Nope.", body!["message"]!.GetValue<string>());
        Assert.Equal("x_code", body["data"]!["title"]!["code"]!.GetValue<string>());

        using (var r = await app.Client.GetAsync("/api/go", ct)) // the test client follows the 302
            Assert.Equal("Hello x", JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["message"]!.GetValue<string>());

        var misc = await GetJsonAsync(app.Client, "/api/misc", ct);
        Assert.Equal(0, misc["n"]!.GetValue<double>());
        Assert.Equal("s3cret", misc["secret"]!.GetValue<string>());
        Assert.Equal(12, misc["len"]!.GetValue<double>());
        Assert.Equal("a", misc["jwt"]!.GetValue<string>());
        Assert.Equal(42, misc["lib"]!.GetValue<double>());

        // A function that breaks a limit or throws gets a 500 for that call only; everything else keeps working.
        foreach (var path in new[] { "/api/loop", "/api/bomb", "/api/deep", "/api/throws" })
        {
            (status, body) = await SendAsync(app.Client, HttpMethod.Get, path, null, ct);
            Assert.True(status == 500, path + " " + body?.ToJsonString());
            Assert.Equal(500, body!["status"]!.GetValue<int>());
            Assert.Equal("Hello ok", (await GetJsonAsync(app.Client, "/api/hello/ok", ct))["message"]!.GetValue<string>());
        }

        // $http.send refuses loopback, metadata and names resolving to loopback.
        foreach (var target in new[] { "http://127.0.0.1:1/", "http://169.254.169.254/latest/meta-data/", "http://localhost:1/", "file:///etc/passwd" })
        {
            (s, text) = await GetTextAsync(app.Client, "/api/http?u=" + Uri.EscapeDataString(target), ct);
            Assert.True(s == 502, target + " -> " + s + " " + text);
            Assert.DoesNotContain("sent", text, StringComparison.Ordinal);
        }

        // Unknown routes keep the JSON 404; built-in routes still answer.
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/nothing-here", null, ct);
        Assert.Equal(404, status);
        (status, _) = await SendAsync(app.Client, HttpMethod.Get, "/api/health", null, ct);
        Assert.Equal(200, status);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Folder_functions_load_at_start_and_reload_when_a_file_changes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        string? dir = null;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, settings =>
        {
            dir = Path.Combine(settings.Dir, "projects", "main", "functions");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "main.pb.js"), "routerAdd('GET', '/api/version', (e) => e.string(200, 'one'))");
            return Task.CompletedTask;
        }, ct);
        var (s, text) = await GetTextAsync(app.Client, "/api/version", ct);
        Assert.Equal((200, "one"), (s, text));
        File.WriteAllText(Path.Combine(dir!, "main.pb.js"), "routerAdd('GET', '/api/version', (e) => e.string(200, 'two!'))");
        await WaitForAsync(async () => (await GetTextAsync(app.Client, "/api/version", ct)).Body == "two!", TimeSpan.FromSeconds(15), "the reload", ct);
        // A broken edit is logged and the running version stays.
        File.WriteAllText(Path.Combine(dir!, "main.pb.js"), "routerAdd('GET', '/api/version', (e) => e.string(200, 'three')); let x = ;");
        var su = await app.SuperuserClientAsync(ct);
        await WaitForAsync(async () => (await GetJsonAsync(su, "/api/functions", ct))["error"] is JsonObject, TimeSpan.FromSeconds(15), "the load error", ct);
        var fn = await GetJsonAsync(su, "/api/functions", ct);
        Assert.Equal("main.pb.js", fn["error"]!["file"]!.GetValue<string>());
        Assert.Equal(1, fn["error"]!["line"]!.GetValue<int>());
        Assert.Equal((200, "two!"), await GetTextAsync(app.Client, "/api/version", ct));
    }
}
