using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PaperGao.Client;

/// <summary>A stored backup as GET /api/backups lists it.</summary>
public sealed record BackupFileInfo
{
    [JsonPropertyName("key")] public string Key { get; init; } = "";
    [JsonPropertyName("size")] public long Size { get; init; }
    /// <summary>UTC, "yyyy-MM-dd HH:mm:ss.fffZ" as the server writes dates.</summary>
    [JsonPropertyName("modified")] public string Modified { get; init; } = "";
}

/// <summary>/api/backups (superusers): list, create, upload, delete, restore, and download URLs with a file token.</summary>
public sealed class BackupService
{
    private const string BasePath = "/api/backups";
    private readonly PaperGaoClient _client;

    internal BackupService(PaperGaoClient client) => _client = client;

    /// <summary>GET /api/backups: every backup of the project, newest first.</summary>
    public async Task<IReadOnlyList<BackupFileInfo>> GetFullListAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        await _client.SendAsync<List<BackupFileInfo>>(HttpMethod.Get, BasePath, null, options, cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>POST /api/backups: answers when the zip is complete. An empty <paramref name="basename"/> lets the server name it.</summary>
    public Task CreateAsync(string basename = "", RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject?>(HttpMethod.Post, BasePath, new JsonObject { ["name"] = basename }, options, cancellationToken);

    /// <summary>
    /// POST /api/backups/upload: streams <paramref name="content"/> (read once, not disposed) as the backup named
    /// <paramref name="fileName"/> (^[a-z0-9_-]+\.zip$).
    /// </summary>
    public Task UploadAsync(Stream content, string fileName, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return _client.SendAsync<JsonObject?>(HttpMethod.Post, BasePath + "/upload", null, options, cancellationToken,
            files: [new FileUpload("file", content, fileName, "application/zip")]);
    }

    public Task DeleteAsync(string key, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject?>(HttpMethod.Delete, KeyPath(key), null, options, cancellationToken);

    /// <summary>POST /api/backups/{key}/restore: replaces the project's content; answers when it is done.</summary>
    public Task RestoreAsync(string key, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject?>(HttpMethod.Post, KeyPath(key) + "/restore", null, options, cancellationToken);

    /// <summary>The download URL of a backup; <paramref name="token"/> is a superuser file token (<see cref="FileService.GetTokenAsync"/>).</summary>
    public string GetDownloadUrl(string token, string key) =>
        _client.BuildUrl(KeyPath(key), new Dictionary<string, string?> { ["token"] = token });

    private static string KeyPath(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return BasePath + "/" + Uri.EscapeDataString(key);
    }
}
