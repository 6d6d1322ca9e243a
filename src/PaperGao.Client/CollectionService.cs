using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>/api/collections (superusers): list, view, create, update, delete, truncate, import and scaffolds.</summary>
public sealed class CollectionService : CrudAdminService
{
    internal CollectionService(PaperGaoClient client) : base(client, "/api/collections") { }

    /// <summary>Every collection (a few hundred at most, so one request per 500).</summary>
    public async Task<IReadOnlyList<JsonObject>> GetFullListAsync(ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var result = await GetListAsync(page, 500, (options ?? new ListOptions()) with { SkipTotal = true }, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Items);
            if (result.Items.Count < 500) return all;
        }
    }

    /// <summary>POST /api/collections with a collection definition ({name, type, fields, rules...}).</summary>
    public Task<JsonObject> CreateAsync(object collection, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject>(HttpMethod.Post, BasePath, collection, options, cancellationToken);

    public Task<JsonObject> UpdateAsync(string idOrName, object changes, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject>(HttpMethod.Patch, BasePath + "/" + Uri.EscapeDataString(idOrName), changes, options, cancellationToken);

    public Task DeleteAsync(string idOrName, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject?>(HttpMethod.Delete, BasePath + "/" + Uri.EscapeDataString(idOrName), null, options, cancellationToken);

    /// <summary>Deletes every record of the collection.</summary>
    public Task TruncateAsync(string idOrName, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject?>(HttpMethod.Delete, BasePath + "/" + Uri.EscapeDataString(idOrName) + "/truncate", null, options, cancellationToken);

    /// <summary>PUT /api/collections/import: all or nothing; <paramref name="deleteMissing"/> deletes collections not listed.</summary>
    public Task ImportAsync(IEnumerable<object> collections, bool deleteMissing = false, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject?>(HttpMethod.Put, BasePath + "/import", new { collections, deleteMissing }, options, cancellationToken);

    /// <summary>Blank auth, base and view collections keyed by type.</summary>
    public Task<JsonObject> GetScaffoldsAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Client.SendAsync<JsonObject>(HttpMethod.Get, BasePath + "/meta/scaffolds", null, options, cancellationToken);
}
