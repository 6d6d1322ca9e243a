using System.Text.Json.Nodes;
using System.Threading.Channels;
using Npgsql;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// The realtime bus as another program hears it: a LISTEN of its own on the channel (application name "bus-tap", so the
/// nodes do not count it as a node), the notices that <c>keep</c> accepts queued in order.
/// </summary>
internal sealed class BusTap : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly NpgsqlConnection _conn;
    private readonly Channel<JsonObject> _notices = Channel.CreateUnbounded<JsonObject>();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private BusTap(NpgsqlConnection conn) => _conn = conn;

    public static async Task<BusTap> OpenAsync(string connectionString, CancellationToken ct, Func<JsonObject, bool>? keep = null)
    {
        var tap = new BusTap(new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "bus-tap" }.ConnectionString));
        await tap._conn.OpenAsync(ct);
        tap._conn.Notification += (_, e) =>
        {
            if (JsonNode.Parse(e.Payload) is JsonObject o && (keep is null || keep(o))) tap._notices.Writer.TryWrite(o);
        };
        await using (var cmd = new NpgsqlCommand("LISTEN " + PostgresRealtimeBus.ChannelName, tap._conn)) await cmd.ExecuteNonQueryAsync(ct);
        tap._loop = Task.Run(async () =>
        {
            try { while (true) await tap._conn.WaitAsync(tap._stop.Token); }
            catch (OperationCanceledException) { }
        }, CancellationToken.None);
        return tap;
    }

    /// <summary>The next notice (20 s at most).</summary>
    public async Task<JsonObject> NextAsync(CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Deadline);
        return await _notices.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next record notice about <paramref name="id"/>, skipping others.</summary>
    public async Task<JsonObject> NextForAsync(string id, CancellationToken ct) => (await WaitForAsync(n => (string?)n["i"] == id, "a notice about " + id, ct)).Match;

    /// <summary>Reads notices until one matches (20 s at most); gives it and those read before it.</summary>
    public async Task<(JsonObject Match, List<JsonObject> Before)> WaitForAsync(Func<JsonObject, bool> match, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Deadline);
        var before = new List<JsonObject>();
        try
        {
            while (true)
            {
                var n = await _notices.Reader.ReadAsync(deadline.Token);
                if (match(n)) return (n, before);
                before.Add(n);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no notice for {what} within {Deadline.TotalSeconds} s; heard: {string.Join(" | ", before.Select(b => b.ToJsonString()))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _conn.DisposeAsync();
        _stop.Dispose();
    }
}
