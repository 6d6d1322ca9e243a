using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Durability;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// The real server as a child process (real Kestrel sockets: WebSockets, stalled readers, RSS and handle counts)
/// on its own data dir, optionally on a shared PostgreSQL database (two nodes of a cluster), with a superuser.
/// </summary>
internal sealed class RealtimeNode : IAsyncDisposable
{
    public const string Email = "admin@realtime.test";
    public const string Password = "Realtime-test-123";

    private readonly ServerProcess _server;
    private readonly string _dir;

    private RealtimeNode(ServerProcess server, string dir, HttpClient superuser)
    {
        _server = server;
        _dir = dir;
        Superuser = superuser;
        Guest = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
    }

    public string BaseUrl => _server.BaseUrl;
    public int Pid => _server.Pid;
    public HttpClient Superuser { get; }
    public HttpClient Guest { get; }

    /// <summary>Starts a node; the second node of a cluster passes createSuperuser: false (upserting again would rotate the first node's token).</summary>
    public static async Task<RealtimeNode> StartAsync(string? db, CancellationToken ct, bool createSuperuser = true, params string[] extraArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-rt-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        if (createSuperuser) await ServerProcess.RunCliAsync(ct, ["superuser", "upsert", Email, Password, "--dir", dir, .. ServerProcess.DbArgs(db)]);
        var server = await ServerProcess.StartAsync(dir, db, PinnedGen0, ct, extraArgs);
        var su = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var r = await su.PostAsJsonAsync("/api/collections/_superusers/auth-with-password", new { identity = Email, password = Password }, ct);
        r.EnsureSuccessStatusCode();
        su.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["token"]!.GetValue<string>());
        return new RealtimeNode(server, dir, su);
    }

    /// <summary>
    /// The GC sizes its gen0 budget from the L3 cache: on a CPU with 260 MB of L3 the budget is ~200 MB, so RSS after a
    /// burst of requests measures the cache size, not what the server retains. A fixed 16 MB budget makes the RSS and
    /// leak checks mean the same on every machine.
    /// </summary>
    private static readonly Dictionary<string, string> PinnedGen0 = new() { ["DOTNET_GCgen0size"] = "0x1000000" };

    public HttpClient NewClient() => new() { BaseAddress = new Uri(BaseUrl), Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>VmRSS in bytes and the number of open file descriptors of the server process.</summary>
    public (long Rss, int Handles) Usage()
    {
        var rssKb = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return (long.Parse(rssKb, System.Globalization.CultureInfo.InvariantCulture) * 1024, Directory.GetFiles($"/proc/{Pid}/fd").Length);
    }

    public async ValueTask DisposeAsync()
    {
        Superuser.Dispose();
        Guest.Dispose();
        await _server.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
