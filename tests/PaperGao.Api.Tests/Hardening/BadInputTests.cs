using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>Malformed input is a 400 in the error envelope with the security headers, never a 500 (docs/security.md).</summary>
public sealed class BadInputTests(PostgresCluster postgres)
{
    private static async Task<(int Status, JsonNode? Body)> RawAsync(HttpClient client, HttpMethod method, string url, byte[]? body, string? contentType, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            req.Content = new ByteArrayContent(body);
            if (contentType is not null) req.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        using var r = await client.SendAsync(req, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        var json = text.Length > 0 ? JsonNode.Parse(text) : null;
        if ((int)r.StatusCode >= 400) Assert.Equal((int)r.StatusCode, json!["status"]!.GetValue<int>());
        return ((int)r.StatusCode, json);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Undecodable_json_strings_and_unterminated_multipart_bodies_are_400(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        const string url = "/api/collections/posts/records";
        byte[][] bodies =
        [
            [.. "{\"title\":\""u8, 0xff, 0xfe, .. "\"}"u8],             // invalid UTF-8 in a value
            [.. "{\""u8, 0xc3, 0x28, .. "\":1,\"title\":\"x\"}"u8],       // invalid UTF-8 in a key
            "{\"title\":\"\\ud800\"}"u8.ToArray(),                        // a lone high surrogate
            "{\"title\":\"x\",\"data\":{\"\\udc00\":1}}"u8.ToArray(),     // a lone low surrogate in a nested key
            "{\"title\":\"x\",\"data\":[\"a\\ud83d\"]}"u8.ToArray(),      // a truncated pair inside an array
        ];
        foreach (var body in bodies)
        {
            var (s, err) = await RawAsync(app.Client, HttpMethod.Post, url, body, "application/json", ct);
            Assert.Equal(400, s);
            Assert.Contains("UTF-8", err!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // Valid escapes still work (a proper surrogate pair).
        var (ok, created) = await RawAsync(app.Client, HttpMethod.Post, url, "{\"title\":\"smile \\ud83d\\ude00\"}"u8.ToArray(), "application/json", ct);
        Assert.Equal(200, ok);
        Assert.Equal("smile \U0001F600", created!["title"]!.GetValue<string>());

        // A multipart body whose closing boundary never comes.
        var multipart = Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=\"views\"\r\n\r\n12");
        Assert.Equal(400, (await RawAsync(app.Client, HttpMethod.Post, url, multipart, "multipart/form-data; boundary=XyZ", ct)).Status);
        Assert.Equal(400, (await RawAsync(app.Client, HttpMethod.Post, url, Encoding.ASCII.GetBytes("--XyZ\r\nContent-Disp"), "multipart/form-data; boundary=XyZ", ct)).Status);
        Assert.Equal(400, (await RawAsync(app.Client, HttpMethod.Post, "/api/oauth2-redirect", multipart, "multipart/form-data; boundary=XyZ", ct)).Status);
        // Nothing was half-written.
        var list = await GetJsonAsync(su, url, ct);
        Assert.Equal(1, list["totalItems"]!.GetValue<int>());
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Fields_modifiers_are_checked_not_dropped_or_overflowed(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "<p>Hello <b>world</b> and more</p>" }, ct)).Status);
        const string url = "/api/collections/posts/records?fields=";

        var (s, big) = await RawAsync(app.Client, HttpMethod.Get, url + Uri.EscapeDataString("title:excerpt(99999999999,true)"), null, null, ct);
        Assert.Equal(200, s);
        Assert.Equal("Hello world and more", big!["items"]![0]!["title"]!.GetValue<string>());
        var (s2, small) = await RawAsync(app.Client, HttpMethod.Get, url + Uri.EscapeDataString("id,title:excerpt(5,true)"), null, null, ct);
        Assert.Equal(200, s2);
        Assert.Equal("Hello...", small!["items"]![0]!["title"]!.GetValue<string>());

        foreach (var bad in new[] { "title:excerpt(-1)", "title:excerpt(0)", "title:excerpt(abc)", "title:excerpt()", "title:excerpt(1,true,3)", "title:nope(1)", "title:excerpt(1" })
        {
            var (status, err) = await RawAsync(app.Client, HttpMethod.Get, url + Uri.EscapeDataString(bad), null, null, ct);
            Assert.True(status == 400, $"{bad}: {status}");
            Assert.Contains("fields", err!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
