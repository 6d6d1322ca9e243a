using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>/api/logs (superusers): list and view request logs, hourly counts.</summary>
public sealed class LogService : CrudAdminService
{
    internal LogService(PaperGaoClient client) : base(client, "/api/logs") { }

    /// <summary>GET /api/logs/stats: [{date, total}] per hour, optionally filtered.</summary>
    public Task<IReadOnlyList<JsonObject>> GetStatsAsync(string? filter = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<IReadOnlyList<JsonObject>>(HttpMethod.Get, BasePath + "/stats", null, options, cancellationToken,
            new Dictionary<string, string?> { ["filter"] = filter });
}
