using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

public sealed class RecordsMultipartTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Multipart_and_urlencoded_bodies_infer_types_and_merge_json_payload(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        using var form = new MultipartFormDataContent
        {
            { new StringContent("Hello"), "title" },
            { new StringContent("12"), "views" },
            { new StringContent("true"), "active" },
            { new StringContent("""{"tags":["a","b"],"data":{"k":[1,2]}}"""), "@jsonPayload" },
        };
        using var r = await app.Client.PostAsync("/api/collections/posts/records", form, ct);
        var body = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!;
        Assert.True(r.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("Hello", body["title"]!.GetValue<string>());
        Assert.Equal(12, body["views"]!.GetValue<double>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(["a", "b"], body["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(2, body["data"]!["k"]![1]!.GetValue<int>());

        using var urlencoded = new FormUrlEncodedContent([new("title", "0001"), new("views", "7")]);
        using var r2 = await app.Client.PostAsync("/api/collections/posts/records", urlencoded, ct);
        var body2 = JsonNode.Parse(await r2.Content.ReadAsStringAsync(ct))!;
        Assert.True(r2.IsSuccessStatusCode, body2.ToJsonString());
        Assert.Equal("0001", body2["title"]!.GetValue<string>()); // "0001" does not round-trip as a number: stays text

        using var badPayload = new MultipartFormDataContent { { new StringContent("{not json"), "@jsonPayload" } };
        using var r3 = await app.Client.PostAsync("/api/collections/posts/records", badPayload, ct);
        Assert.Equal(400, (int)r3.StatusCode);

        using var withFile = new MultipartFormDataContent
        {
            { new StringContent("x"), "title" },
            { new ByteArrayContent([1, 2, 3]), "data", "a.bin" },
        };
        using var r4 = await app.Client.PostAsync("/api/collections/posts/records", withFile, ct);
        Assert.Equal(400, (int)r4.StatusCode);
        Assert.Equal(2, (await GetJsonAsync(su, "/api/collections/posts/records", ct))["totalItems"]!.GetValue<int>());

        using var wrongType = new StringContent("<x/>", System.Text.Encoding.UTF8, "text/plain");
        using var r5 = await app.Client.PostAsync("/api/collections/posts/records", wrongType, ct);
        Assert.Equal(400, (int)r5.StatusCode);
        Assert.Equal("Unsupported Content-Type.", JsonNode.Parse(await r5.Content.ReadAsStringAsync(ct))!["message"]!.GetValue<string>());
    }
}
