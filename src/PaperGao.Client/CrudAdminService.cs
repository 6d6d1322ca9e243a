using System.Globalization;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>List/view for the admin resources (collections, logs): JSON objects, the same list parameters as records.</summary>
public abstract class CrudAdminService
{
    private protected CrudAdminService(PaperGaoClient client, string basePath)
    {
        Client = client;
        BasePath = basePath;
    }

    private protected PaperGaoClient Client { get; }

    private protected string BasePath { get; }

    public Task<ListResult<JsonObject>> GetListAsync(int page = 1, int perPage = 30, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new Dictionary<string, string?>
        {
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
            ["perPage"] = perPage.ToString(CultureInfo.InvariantCulture),
            ["filter"] = options?.Filter,
            ["sort"] = options?.Sort,
            ["fields"] = options?.Fields,
            ["skipTotal"] = options?.SkipTotal == true ? "1" : null,
        };
        return Client.SendAsync<ListResult<JsonObject>>(HttpMethod.Get, BasePath, null, options, cancellationToken, query);
    }

    public Task<JsonObject> GetOneAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject>(HttpMethod.Get, BasePath + "/" + Uri.EscapeDataString(id), null, options, cancellationToken);
}
