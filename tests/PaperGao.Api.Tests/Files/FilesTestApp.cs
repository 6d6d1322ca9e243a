using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Files;

namespace PaperGao.Api.Tests.Files;

/// <summary>
/// A server for one file test on a database and a storage backend (local disk, or a real s3rver started for it),
/// with a superuser client and direct access to the same storage to check what was (not) written.
/// </summary>
internal sealed class FilesTestApp : IAsyncDisposable
{
    private FilesTestApp(PaperGaoApp app, TestS3Server? s3, HttpClient su, IFileStorage storage)
    {
        App = app;
        S3 = s3;
        Su = su;
        Storage = storage;
    }

    public PaperGaoApp App { get; }
    public TestS3Server? S3 { get; }
    public HttpClient Su { get; }
    public IFileStorage Storage { get; }
    public HttpClient Guest => App.Client;

    public static async Task<FilesTestApp> StartAsync(DatabaseKind db, StorageKind storage, PostgresCluster postgres, CancellationToken ct)
    {
        var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        TestS3Server? s3 = null;
        try
        {
            var su = await app.SuperuserClientAsync(ct);
            IFileStorage direct = new LocalFileStorage(Path.Combine(app.Settings.Dir, "projects", "main", "storage"));
            if (storage == StorageKind.S3)
            {
                s3 = await TestS3Server.StartAsync(ct);
                await s3.ConfigureAsync(app, ct);
                direct = new S3FileStorage(new S3Settings(true, TestS3Server.Bucket, "us-east-1", s3.Endpoint, TestS3Server.AccessKey, TestS3Server.Secret, true));
            }
            return new FilesTestApp(app, s3, su, direct);
        }
        catch
        {
            if (s3 is not null) await s3.DisposeAsync();
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a base collection with the given fields and rules (all public unless given) and returns its id.</summary>
    public async Task<string> CreateCollectionAsync(string name, JsonArray fields, CancellationToken ct, string? viewRule = "", string? createRule = "", string? updateRule = "", string? deleteRule = "")
    {
        var body = new JsonObject
        {
            ["name"] = name, ["type"] = "base", ["listRule"] = "", ["viewRule"] = viewRule, ["createRule"] = createRule,
            ["updateRule"] = updateRule, ["deleteRule"] = deleteRule, ["fields"] = fields,
        };
        using var r = await Su.PostAsJsonAsync("/api/collections", body, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"create collection failed: {(int)r.StatusCode} {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>Every key in the storage.</summary>
    public async Task<List<string>> KeysAsync(CancellationToken ct)
    {
        var keys = new List<string>();
        await foreach (var o in Storage.ListAsync("", ct)) keys.Add(o.Key);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Waits until the storage holds exactly these keys (after-commit deletes run after the response).</summary>
    public async Task WaitForKeysAsync(IEnumerable<string> expected, CancellationToken ct)
    {
        var want = expected.Order(StringComparer.Ordinal).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        List<string> keys;
        while (!(keys = await KeysAsync(ct)).SequenceEqual(want))
        {
            if (DateTime.UtcNow > deadline) Assert.Equal(want, keys);
            await Task.Delay(20, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Su.Dispose();
        (Storage as IDisposable)?.Dispose();
        await App.DisposeAsync();
        if (S3 is not null) await S3.DisposeAsync();
    }
}
