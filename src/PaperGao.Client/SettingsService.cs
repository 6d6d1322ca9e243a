using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>/api/settings (superusers): read, update, send a test email.</summary>
public sealed class SettingsService
{
    private readonly PaperGaoClient _client;

    internal SettingsService(PaperGaoClient client) => _client = client;

    public Task<JsonObject> GetAllAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject>(HttpMethod.Get, "/api/settings", null, options, cancellationToken);

    /// <summary>PATCH /api/settings with the changed parts, e.g. new { meta = new { appName = "Shop" } }.</summary>
    public Task<JsonObject> UpdateAsync(object changes, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject>(HttpMethod.Patch, "/api/settings", changes, options, cancellationToken);

    /// <summary>POST /api/settings/test/email: template is "verification", "password-reset", "email-change", "otp" or "login-alert".</summary>
    public Task TestEmailAsync(string email, string template, string? collectionIdOrName = null, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject?>(HttpMethod.Post, "/api/settings/test/email",
            new JsonObject { ["email"] = email, ["template"] = template, ["collection"] = collectionIdOrName ?? "_superusers" }, options, cancellationToken);
}
