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
