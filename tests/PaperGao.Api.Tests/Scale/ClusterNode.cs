using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Configuration;
using PaperGao.Api.Tests.Durability;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// One real `papergao serve` process of a test cluster: its own port and data dir on the cluster's database, and a
/// client to it (with the superuser's token once set). Disposing it kills the process and deletes the data dir.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    public ClusterNode(int index)
    {
        Index = index;
        Port = ServerProcess.FreePort();
        Http = NewClient(null);
    }

    public int Index { get; }
    public int Port { get; }
    public string Dir { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "papergao-cluster-" + Guid.NewGuid().ToString("N")[..10])).FullName;
    public string Url => $"http://127.0.0.1:{Port}";
    public Executable? Exe { get; set; }

    /// <summary>Set once the node is healthy; a test clears it to stop sending the node work (a load balancer's view).</summary>
    public volatile bool Alive;

    public HttpClient Http { get; private set; }

    private HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    /// <summary>Starts (or restarts, same dir and port) the process and waits until it is healthy.</summary>
    public async Task StartAsync(string db, CancellationToken ct, IReadOnlyDictionary<string, string>? env = null)
    {
        Exe = Executable.Start(["serve", "--http", $"127.0.0.1:{Port}", "--dir", Dir, "--db", db], env);
        await Exe.WaitHealthyAsync(Url, ct);
        Alive = true;
    }

    /// <summary>A fresh client (no pooled connection to a killed process) with <paramref name="token"/>.</summary>
    public void RenewClient(string token)
    {
        var old = Http;
        Http = NewClient(token);
        old.Dispose();
    }

    /// <summary>The node's log so far (stdout and stderr).</summary>
    public string Log => Exe is null ? "" : Exe.Stdout + Exe.Stderr;

    /// <summary>
    /// Upserts the superuser, starts every node on <paramref name="db"/> and waits for their health, signs in on the
    /// first and gives every node's client the token, then creates `posts` (a text field `text`; guests list, view and
    /// create) there and waits until the other nodes know it (through the bus). Returns the token.
    /// </summary>
    public static async Task<string> StartClusterAsync(ClusterNode[] nodes, string db, string email, string password, CancellationToken ct,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var (code, _, err) = await Executable.RunAsync(["superuser", "upsert", email, password, "--dir", nodes[0].Dir, "--db", db], null, ct);
        if (code != 0) throw new InvalidOperationException("superuser upsert failed: " + err);
        await Task.WhenAll(nodes.Select(n => n.StartAsync(db, ct, env)));
        var token = await nodes[0].SignInAsync(email, password, ct);
        foreach (var n in nodes) n.Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        await Records.RecordsTestData.CreateAsync(nodes[0].Http, new JsonObject
        {
            ["name"] = "posts", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "", ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }),
        }, ct);
        foreach (var n in nodes.Skip(1))
            await UntilAsync(async () => (await n.Http.GetAsync("/api/collections/posts/records?perPage=1", ct)).IsSuccessStatusCode, $"node {n.Index} knows posts", ct);
        return token;
    }

    /// <summary>The superuser's token, signed in on this node.</summary>
    public async Task<string> SignInAsync(string email, string password, CancellationToken ct)
    {
        using var client = new HttpClient();
        using var r = await client.PostAsJsonAsync(Url + "/api/collections/_superusers/auth-with-password", new { identity = email, password }, ct);
        r.EnsureSuccessStatusCode();
        return JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>();
    }

    /// <summary>Waits (45 s at most) until <paramref name="condition"/> holds.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 45 s: {what} {detail?.Invoke()}".TrimEnd());
            await Task.Delay(20, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Exe is not null) await Exe.DisposeAsync();
        Http.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
