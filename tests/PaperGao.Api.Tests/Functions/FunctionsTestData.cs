using PaperGao.Api.Tests.Infrastructure;
using System.Text.Json.Nodes;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Functions;

public static class FunctionsTestData
{
    /// <summary>Deploys one main.pb.js through the API; returns the status and body.</summary>
    public static Task<(int Status, JsonNode? Body)> DeployAsync(HttpClient su, string code, CancellationToken ct, string file = "main.pb.js") =>
        SendAsync(su, HttpMethod.Put, "/api/functions", new JsonObject { ["files"] = new JsonObject { [file] = code } }, ct);

    public static async Task<(int Status, string Body)> GetTextAsync(HttpClient client, string url, CancellationToken ct)
    {
        using var r = await client.GetAsync(url, ct);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync(ct));
    }

    /// <summary>Polls until the condition holds or the deadline passes (no fixed sleeps).</summary>
    public static Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct) =>
        Eventually.UntilAsync(condition, ct, what, timeout, TimeSpan.FromMilliseconds(50));
}
