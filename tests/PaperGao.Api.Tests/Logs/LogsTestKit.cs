using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Logs;

/// <summary>Waiting for the background log writer: poll the logs API until a condition holds, with a deadline.</summary>
internal static class LogsTestKit
{
    public static async Task<JsonArray> WaitForLogsAsync(HttpClient su, string filter, Func<JsonArray, bool> done, CancellationToken ct, string project = "")
    {
        var url = $"{project}/api/logs?perPage=1000&filter={Uri.EscapeDataString(filter)}";
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var items = (await GetJsonAsync(su, url, ct))["items"]!.AsArray();
            if (done(items)) return items;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"logs matching '{filter}' never satisfied the condition; last: {items.ToJsonString()}");
            await Task.Delay(25, ct);
        }
    }

    public static async Task<(int Status, JsonNode? Body)> GetAsync(HttpClient client, string url, CancellationToken ct) =>
        await SendAsync(client, HttpMethod.Get, url, null, ct);
}
