using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>The answer to one request of a batch: its status and body.</summary>
public sealed record BatchResult(int Status, JsonNode? Body);

/// <summary>
/// Record writes sent together to POST /api/batch and run in one transaction (all or nothing):
/// <c>batch.Collection("posts").Create(new { title = "a" }); await batch.SendAsync();</c>.
/// A failed request fails the whole batch with a <see cref="ClientResponseException"/> (data.requests.N says which).
/// </summary>
public sealed class BatchRequest
{
    private readonly PaperGaoClient _client;
    private readonly List<(JsonObject Request, IReadOnlyList<FileUpload> Files)> _requests = [];

    internal BatchRequest(PaperGaoClient client) => _client = client;

    public int Count => _requests.Count;

    public BatchCollection Collection(string idOrName) => new(this, idOrName);

    /// <summary>Sends the batch; the results are in request order.</summary>
    public async Task<IReadOnlyList<BatchResult>> SendAsync(RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var requests = new JsonArray();
        var files = new List<FileUpload>();
        for (var i = 0; i < _requests.Count; i++)
        {
            requests.Add(_requests[i].Request.DeepClone());
            files.AddRange(_requests[i].Files.Select(f => f with { Field = "requests." + i + "." + f.Field }));
        }
        var answer = await _client.SendAsync<JsonArray>(HttpMethod.Post, "/api/batch", new JsonObject { ["requests"] = requests }, options, cancellationToken, files: files).ConfigureAwait(false);
        return [.. answer.Select(a => new BatchResult(a?["status"]?.GetValue<int>() ?? 0, a?["body"]?.DeepClone()))];
    }

    internal void Add(string method, string url, object? body, IEnumerable<FileUpload>? files)
    {
        var request = new JsonObject { ["method"] = method, ["url"] = url };
        if (body is not null) request["body"] = JsonSerializer.SerializeToNode(body, body.GetType(), _client.JsonOptions);
        _requests.Add((request, files?.ToList() ?? []));
    }
}

/// <summary>The writes of one collection inside a <see cref="BatchRequest"/>.</summary>
public sealed class BatchCollection
{
    private readonly BatchRequest _batch;
    private readonly string _path;

    internal BatchCollection(BatchRequest batch, string idOrName)
    {
        _batch = batch;
        _path = "/api/collections/" + Uri.EscapeDataString(idOrName) + "/records";
    }

    public BatchCollection Create(object body, IEnumerable<FileUpload>? files = null)
    {
        _batch.Add("POST", _path, body, files);
        return this;
    }

    /// <summary>Creates, or updates when the body's "id" exists.</summary>
    public BatchCollection Upsert(object body, IEnumerable<FileUpload>? files = null)
    {
        _batch.Add("PUT", _path, body, files);
        return this;
    }

    public BatchCollection Update(string id, object body, IEnumerable<FileUpload>? files = null)
    {
        _batch.Add("PATCH", _path + "/" + Uri.EscapeDataString(id), body, files);
        return this;
    }

    public BatchCollection Delete(string id)
    {
        _batch.Add("DELETE", _path + "/" + Uri.EscapeDataString(id), null, null);
        return this;
    }
}
