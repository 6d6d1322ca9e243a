using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>
/// The records of one collection (list, full list, first, one, create, update, delete), its auth methods
/// (RecordService.Auth.cs) and realtime subscriptions (RecordService.Realtime.cs). Records are read as
/// <typeparamref name="T"/>: JsonObject for untyped use, or a record class (papergao typegen --lang cs).
/// </summary>
public sealed partial class RecordService<T>
{
    private readonly PaperGaoClient _client;

    internal RecordService(PaperGaoClient client, string collectionIdOrName)
    {
        _client = client;
        CollectionIdOrName = collectionIdOrName;
    }

    public string CollectionIdOrName { get; }

    private string CollectionPath => "/api/collections/" + Uri.EscapeDataString(CollectionIdOrName);

    private string RecordsPath => CollectionPath + "/records";

    /// <summary>One page: GET /records?page=&amp;perPage=&amp;filter=&amp;sort=&amp;expand=&amp;fields=&amp;skipTotal=.</summary>
    public Task<ListResult<T>> GetListAsync(int page = 1, int perPage = 30, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = ListQuery(options);
        query["page"] = page.ToString(CultureInfo.InvariantCulture);
        query["perPage"] = perPage.ToString(CultureInfo.InvariantCulture);
        return _client.SendAsync<ListResult<T>>(HttpMethod.Get, RecordsPath, null, options, cancellationToken, query);
    }

    /// <summary>Every matching record, fetched <paramref name="batch"/> at a time (without counting totals) until a short page.</summary>
    public async Task<IReadOnlyList<T>> GetFullListAsync(int batch = 500, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), "The batch size must be positive.");
        var all = new List<T>();
        var paged = (options ?? new ListOptions()) with { SkipTotal = true };
        for (var page = 1; ; page++)
        {
            var result = await GetListAsync(page, batch, paged, cancellationToken).ConfigureAwait(false);
            all.AddRange(result.Items);
            if (result.Items.Count < batch) return all;
        }
    }

    /// <summary>The first record matching <paramref name="filter"/>; a 404 <see cref="ClientResponseException"/> when none does.</summary>
    public async Task<T> GetFirstListItemAsync(string filter, RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = new ListOptions { Filter = filter, SkipTotal = true, Expand = options?.Expand, Fields = options?.Fields, Query = options?.Query, Headers = options?.Headers };
        var result = await GetListAsync(1, 1, list, cancellationToken).ConfigureAwait(false);
        if (result.Items.Count == 0)
        {
            throw new ClientResponseException(_client.BuildUrl(RecordsPath), 404,
                new JsonObject { ["status"] = 404, ["message"] = "The requested resource wasn't found.", ["data"] = new JsonObject() });
        }
        return result.Items[0];
    }

    /// <summary>GET /records/{id}. An empty id is a 404 without a request.</summary>
    public Task<T> GetOneAsync(string id, RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ClientResponseException(_client.BuildUrl(RecordsPath + "/"), 404,
                new JsonObject { ["status"] = 404, ["message"] = "Missing required record id.", ["data"] = new JsonObject() });
        }
        return _client.SendAsync<T>(HttpMethod.Get, RecordPath(id), null, options, cancellationToken, RecordQuery(options));
    }

    /// <summary>POST /records with a JSON body (an anonymous object, a dictionary, a JsonObject, a generated XCreate) and optional files.</summary>
    public Task<T> CreateAsync(object body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<T>(HttpMethod.Post, RecordsPath, body, options, cancellationToken, RecordQuery(options), files);

    /// <summary>PATCH /records/{id}. Updating the signed-in record refreshes the auth store's copy.</summary>
    public async Task<T> UpdateAsync(string id, object body, IEnumerable<FileUpload>? files = null, RecordOptions? options = null, CancellationToken cancellationToken = default)
    {
        var node = await _client.SendAsync<JsonObject>(HttpMethod.Patch, RecordPath(id), body, options, cancellationToken, RecordQuery(options), files).ConfigureAwait(false);
        if (IsSignedInRecord(id)) _client.AuthStore.Save(_client.AuthStore.Token, MergeAuthRecord(node));
        return Convert(node);
    }

    /// <summary>DELETE /records/{id}. Deleting the signed-in record signs out.</summary>
    public async Task DeleteAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _client.SendAsync<JsonObject?>(HttpMethod.Delete, RecordPath(id), null, options, cancellationToken).ConfigureAwait(false);
        if (IsSignedInRecord(id)) _client.AuthStore.Clear();
    }

    private string RecordPath(string id) => RecordsPath + "/" + Uri.EscapeDataString(id);

    private T Convert(JsonNode? node) => node is null ? default! : node.Deserialize<T>(_client.JsonOptions)!;

    private bool IsSignedInRecord(string id)
    {
        var record = _client.AuthStore.Record;
        if (record?["id"]?.GetValue<string>() != id) return false;
        return record["collectionId"]?.GetValue<string>() == CollectionIdOrName || record["collectionName"]?.GetValue<string>() == CollectionIdOrName;
    }

    /// <summary>The stored auth record with the fields of <paramref name="update"/> on top (a partial ?fields= answer keeps the rest).</summary>
    private JsonObject MergeAuthRecord(JsonObject update)
    {
        var merged = _client.AuthStore.Record ?? [];
        foreach (var (k, v) in update) merged[k] = v?.DeepClone();
        return merged;
    }

    private static Dictionary<string, string?> RecordQuery(RecordOptions? options) => new()
    {
        ["expand"] = options?.Expand,
        ["fields"] = options?.Fields,
    };

    private static Dictionary<string, string?> ListQuery(ListOptions? options)
    {
        var q = RecordQuery(options);
        q["filter"] = options?.Filter;
        q["sort"] = options?.Sort;
        if (options?.SkipTotal == true) q["skipTotal"] = "1";
        return q;
    }
}
