using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Api.Tests.Realtime;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Three real `papergao serve` processes on one PostgreSQL under a steady create load (the clients fail over to the
/// next node like a load balancer): node 3 is killed with SIGKILL and started again. No acknowledged create is lost,
/// nodes 1 and 2 answer every request, a realtime subscriber on node 2 receives every acknowledged create (those of
/// node 3 up to its last one included), and the restarted node serves writes and realtime again.
/// </summary>
public sealed class ClusterKillTests(PostgresCluster postgres)
{
    private const string Email = "admin@kill.test";
    private const string Password = "Kill-test-123456";
    private const int Workers = 4;

    private sealed record Failure(int Node, long SentAt, string What);

    [Fact]
    public async Task Kill_9_of_one_node_under_load_loses_no_acknowledged_create_and_no_event_on_the_others()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        void Phase(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {what}");
        await using var db = await postgres.CreateDatabaseAsync(ct);
        var nodes = Enumerable.Range(1, 3).Select(i => new ClusterNode(i)).ToArray();
        using var stopLoad = new CancellationTokenSource();
        try
        {
            var token = await ClusterNode.StartClusterAsync(nodes, db.ConnectionString, Email, Password, ct);
            Phase("3 nodes healthy, posts known on all");

            // A subscriber on node 2, which survives.
            using var streamClient = new HttpClient { BaseAddress = new Uri(nodes[1].Url), Timeout = Timeout.InfiniteTimeSpan };
            await using var stream = await SseStream.OpenAsync(streamClient, ct);
            using (var sub = new HttpClient { BaseAddress = new Uri(nodes[1].Url) })
                Assert.Equal(204, await RealtimeHttp.SubscribeAsync(sub, stream.ClientId, ct, "posts/*"));
            var events = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var reading = Task.Run(async () =>
            {
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        var f = await stream.NextAsync(ct, TimeSpan.FromSeconds(1));
                        if (f.Json["record"]?["id"]?.GetValue<string>() is { } id) events[id] = true;
                    }
                    catch (TimeoutException) { }
                    catch (InvalidOperationException) { return; } // the stream ended: checked below
                }
            }, CancellationToken.None);

            // The load: each worker sends creates round-robin to the nodes it believes alive (a load balancer's view).
            var acknowledged = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            var perNode = new int[4];
            var failures = new ConcurrentBag<Failure>();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                for (var i = w; !stopLoad.IsCancellationRequested; i++)
                {
                    var n = nodes[i % nodes.Length];
                    var sentAt = Stopwatch.GetTimestamp(); // before the check: a node marked dead after it counts as killed in flight
                    if (!n.Alive) continue;
                    try
                    {
                        using var r = await n.Http.PostAsJsonAsync("/api/collections/posts/records", new { text = $"w{w}-{i}" }, CancellationToken.None);
                        var body = await r.Content.ReadAsStringAsync(CancellationToken.None);
                        if (!r.IsSuccessStatusCode)
                        {
                            failures.Add(new Failure(n.Index, sentAt, $"{(int)r.StatusCode} {body}"));
                            continue;
                        }
                        acknowledged[JsonNode.Parse(body)!["id"]!.GetValue<string>()] = n.Index;
                        Interlocked.Increment(ref perNode[n.Index]);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or ObjectDisposedException)
                    {
                        failures.Add(new Failure(n.Index, sentAt, ex.GetType().Name + ": " + ex.Message));
                    }
                }
            }, CancellationToken.None)).ToArray();

            Phase("load running");
            var victim = nodes[2];
            await ClusterNode.UntilAsync(() => Task.FromResult(Volatile.Read(ref perNode[3]) >= 40), "node 3 took its share of the load", ct);
            victim.Alive = false; // the load balancer sends it nothing new; what is in flight now meets the kill
            var killedAt = Stopwatch.GetTimestamp();
            victim.Exe!.Kill();
            await victim.Exe.WaitForExitAsync(ct);
            await victim.Exe.DisposeAsync();
            victim.Exe = null;

            Phase($"node 3 killed after {Volatile.Read(ref perNode[3])} creates there");
            var afterKill = acknowledged.Count;
            await ClusterNode.UntilAsync(() => Task.FromResult(acknowledged.Count >= afterKill + 100), "nodes 1 and 2 keep acknowledging creates", ct);
            Phase("100 more creates on nodes 1 and 2");
            victim.RenewClient(token);
            await victim.StartAsync(db.ConnectionString, ct); // same data dir and port: a restart
            Phase("node 3 healthy again");
            var beforeBack = Volatile.Read(ref perNode[3]);
            await ClusterNode.UntilAsync(() => Task.FromResult(Volatile.Read(ref perNode[3]) >= beforeBack + 40), "the restarted node 3 acknowledges creates", ct);
            await stopLoad.CancelAsync();
            await Task.WhenAll(workers);
            Phase($"load stopped: {acknowledged.Count} acknowledged creates, {failures.Count} failures");

            // Nodes 1 and 2 never failed a request; node 3 failed only requests already sent when it was killed.
            var bad = failures.Where(f => f.Node != 3 || f.SentAt > killedAt).ToList();
            Assert.True(bad.Count == 0, $"{bad.Count} failed requests on live nodes, e.g. node {bad.FirstOrDefault()?.Node}: {bad.FirstOrDefault()?.What}");
            Assert.True(failures.Count <= Workers, $"{failures.Count} failures: at most one in-flight request per worker can meet the kill");

            // Every acknowledged create is stored.
            await using (var conn = new NpgsqlConnection(db.ConnectionString))
            {
                await conn.OpenAsync(ct);
                var stored = new HashSet<string>(StringComparer.Ordinal);
                await using var cmd = new NpgsqlCommand("""SELECT "id" FROM "p_main"."posts" """, conn);
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) stored.Add(reader.GetString(0));
                var lost = acknowledged.Keys.Where(id => !stored.Contains(id)).ToList();
                Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged creates lost, e.g. {string.Join(",", lost.Take(3))}");
            }

            // Node 2's subscriber got an event for each of them, node 3's last acknowledged creates before the kill included.
            await ClusterNode.UntilAsync(() => Task.FromResult(acknowledged.Keys.All(events.ContainsKey)), "every acknowledged create reached node 2's subscriber", ct,
                () => $"{acknowledged.Keys.Count(id => !events.ContainsKey(id))} of {acknowledged.Count} missing, from nodes "
                      + string.Join(",", acknowledged.Where(a => !events.ContainsKey(a.Key)).Select(a => a.Value).Distinct().Order()));
            Assert.False(reading.IsCompleted, "node 2's realtime stream ended");
            Phase($"node 2's subscriber has all {acknowledged.Count} events");

            // The restarted node delivers realtime events of the others' writes again.
            using var restartedClient = new HttpClient { BaseAddress = new Uri(victim.Url), Timeout = Timeout.InfiniteTimeSpan };
            await using var again = await SseStream.OpenAsync(restartedClient, ct);
            using (var sub = new HttpClient { BaseAddress = new Uri(victim.Url) })
                Assert.Equal(204, await RealtimeHttp.SubscribeAsync(sub, again.ClientId, ct, "posts/*"));
            var (status, created) = await SendAsync(nodes[0].Http, HttpMethod.Post, "/api/collections/posts/records", new { text = "after" }, ct);
            Assert.Equal(200, status);
            Assert.Equal(created!["id"]!.GetValue<string>(), (await again.NextAsync(ct, TimeSpan.FromSeconds(10))).Json["record"]!["id"]!.GetValue<string>());

            Assert.All(nodes.Take(2), n => Assert.DoesNotContain("Unhandled exception", n.Log, StringComparison.Ordinal));
            Assert.All(nodes.Take(2), n => Assert.DoesNotContain("queue full", n.Log, StringComparison.Ordinal));
        }
        finally
        {
            await stopLoad.CancelAsync();
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }
}
