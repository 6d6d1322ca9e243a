using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>File URLs (with thumbs, download and file tokens) and file tokens for protected files.</summary>
public sealed class FileService
{
    private readonly PaperGaoClient _client;

    internal FileService(PaperGaoClient client) => _client = client;

    /// <summary>
    /// The URL of a stored file of a record: /api/files/{collection}/{recordId}/{filename}[?thumb=100x100&amp;download=1&amp;token=...].
    /// "" when the filename is empty. Protected files need a <paramref name="token"/> from <see cref="GetTokenAsync"/>.
    /// </summary>
    public string GetUrl(string collectionIdOrName, string recordId, string filename, string? thumb = null, bool download = false, string? token = null)
    {
        if (string.IsNullOrEmpty(filename) || string.IsNullOrEmpty(recordId) || string.IsNullOrEmpty(collectionIdOrName)) return "";
        var path = "/api/files/" + Uri.EscapeDataString(collectionIdOrName) + "/" + Uri.EscapeDataString(recordId) + "/" + Uri.EscapeDataString(filename);
        return _client.BuildUrl(path, new Dictionary<string, string?>
        {
            ["thumb"] = string.IsNullOrEmpty(thumb) ? null : thumb,
            ["download"] = download ? "1" : null,
            ["token"] = string.IsNullOrEmpty(token) ? null : token,
        });
    }

    /// <summary>The URL of a file of an untyped record (its collectionId or collectionName and id are read from it).</summary>
    public string GetUrl(JsonObject record, string filename, string? thumb = null, bool download = false, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var collection = record["collectionId"]?.GetValue<string>() ?? record["collectionName"]?.GetValue<string>() ?? "";
        return GetUrl(collection, record["id"]?.GetValue<string>() ?? "", filename, thumb, download, token);
    }

    /// <summary>POST /api/files/token: a short-lived token for protected files (needs a signed-in client).</summary>
    public async Task<string> GetTokenAsync(RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<JsonObject>(HttpMethod.Post, "/api/files/token", null, options, cancellationToken).ConfigureAwait(false);
        return result["token"]?.GetValue<string>() ?? "";
    }

    /// <summary>Downloads a file (with this client's auth header) into memory.</summary>
    public async Task<byte[]> DownloadAsync(string url, CancellationToken cancellationToken = default)
    {
        if (!url.StartsWith(_client.BaseUrl, StringComparison.Ordinal)) throw new ArgumentException("The URL is not on this client's server.", nameof(url));
        using var response = await _client.SendRawAsync(HttpMethod.Get, url[_client.BaseUrl.Length..], null, null, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }
}
