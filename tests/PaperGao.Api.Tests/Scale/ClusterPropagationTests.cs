using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Scale;

/// <summary>
/// Three real `papergao serve` processes on one PostgreSQL under a steady create load (all three nodes take creates):
/// a schema change (a new field) and a settings change (appName) made on node 1 are served by nodes 2 and 3, each
/// within <see cref="Deadline"/> of node 1's answer and with a median within the goal of one second, with no
/// failed request. Then every node's bus connection is terminated (pg_terminate_backend: 57P01, as at a PostgreSQL
/// restart) and changes are made while the nodes reconnect: the nodes reload what they missed, and the loss is not
/// logged as a fan-out failure. The measured times are printed (CLUSTER-PROPAGATION lines).
/// </summary>
public sealed class ClusterPropagationTests(PostgresCluster postgres)
{
    /// <summary>
    /// The goal is one second. Measured alone on the 2-core machine at load average 26-45 (7 runs with the times
    /// printed, 84 times): schema changes 24-799 ms (median 196), settings changes 12-224 ms (median 56), each run's
    /// median 72-208 ms. The slowest grew with the load, and the suite runs beside other tests on a loaded CI machine,
    /// so each change must arrive within 2 s and the median within 1 s.
    /// </summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Goal = TimeSpan.FromSeconds(1);

    private const string Email = "admin@propagation.test";
    private const string Password = "Propagation-test-123";
    private const int Workers = 4;
    private const int Rounds = 3;

    [Fact]
    public async Task Schema_and_settings_changes_on_one_node_reach_the_others_under_load()
    {
        var ct = TestContext.Current.CancellationToken;
        // Printed with the suite's output (like the other measurements) and kept in the test's own output.
        void Print(string line)
        {
            Console.WriteLine("CLUSTER-PROPAGATION " + line);
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
        await using var db = await postgres.CreateDatabaseAsync(ct);
        var nodes = Enumerable.Range(1, 3).Select(i => new ClusterNode(i)).ToArray();
        using var stopLoad = new CancellationTokenSource();
        try
        {
            // The bus's reconnect is a debug line: shown here so the test can see it.
            var env = new Dictionary<string, string> { ["Logging__LogLevel__PaperGao.Realtime"] = "Debug" };
            await ClusterNode.StartClusterAsync(nodes, db.ConnectionString, Email, Password, ct, env);

            // The load: creates round-robin over the three nodes until the end.
            var acknowledged = 0;
            var failures = new ConcurrentBag<string>();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                for (var i = w; !stopLoad.IsCancellationRequested; i++)
                {
                    var n = nodes[i % nodes.Length];
                    try
                    {
                        using var r = await n.Http.PostAsJsonAsync("/api/collections/posts/records", new { text = $"w{w}-{i}" }, CancellationToken.None);
                        if (r.IsSuccessStatusCode) Interlocked.Increment(ref acknowledged);
                        else failures.Add($"node {n.Index}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(CancellationToken.None)}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        failures.Add($"node {n.Index}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }, CancellationToken.None)).ToArray();
            await ClusterNode.UntilAsync(() => Task.FromResult(Volatile.Read(ref acknowledged) >= 60), "the load runs", ct);

            var schemaTimes = new List<double>();
            var settingsTimes = new List<double>();
            for (var round = 1; round <= Rounds; round++)
            {
                var field = $"f{round}";
                var answered = await AddFieldAsync(nodes[0], field, ct);
                var times = await Task.WhenAll(nodes.Skip(1).Select(n => ElapsedUntilAsync(answered, () => HasFieldAsync(n, field, ct), $"node {n.Index} serves field {field}", ct)));
                schemaTimes.AddRange(times);
                Print($"schema change {round}: nodes 2, 3 served the new field {Ms(times)} after node 1 answered (load {LoadAverage()})");

                var name = $"propagation-{round}";
                answered = await SetAppNameAsync(nodes[0], name, ct);
                times = await Task.WhenAll(nodes.Skip(1).Select(n => ElapsedUntilAsync(answered, () => HasAppNameAsync(n, name, ct), $"node {n.Index} serves appName {name}", ct)));
                settingsTimes.AddRange(times);
                Print($"settings change {round}: nodes 2, 3 served the new appName {Ms(times)} after node 1 answered (load {LoadAverage()})");
            }

            // The bus connections are terminated (57P01, as at a PostgreSQL restart) and changes made at once, while the
            // nodes reconnect: their notices are lost for the other nodes, which reload once listening again.
            var terminated = await TerminateListenersAsync(db.ConnectionString, ct);
            Assert.Equal(3, terminated);
            var gapAnswered = await AddFieldAsync(nodes[0], "gap", ct);
            await SetAppNameAsync(nodes[0], "propagation-gap", ct);
            var gapTimes = await Task.WhenAll(nodes.Skip(1).Select(async n =>
                await ElapsedUntilAsync(gapAnswered, async () => await HasFieldAsync(n, "gap", ct) && await HasAppNameAsync(n, "propagation-gap", ct),
                    $"node {n.Index} reloads after reconnecting", ct, TimeSpan.FromSeconds(30))));
            Print($"after the bus connections were terminated: nodes 2, 3 served the changes made meanwhile {Ms(gapTimes)} after node 1 answered");

            var before = Volatile.Read(ref acknowledged);
            await ClusterNode.UntilAsync(() => Task.FromResult(Volatile.Read(ref acknowledged) >= before + 30), "the load goes on after the reconnect", ct);
            await stopLoad.CancelAsync();
            await Task.WhenAll(workers);
            Print($"load: {acknowledged} acknowledged creates, {failures.Count} failures");

            Assert.True(failures.IsEmpty, $"{failures.Count} failed requests, e.g. {failures.FirstOrDefault()}");
            var all = schemaTimes.Concat(settingsTimes).Order().ToArray();
            var measured = $"schema {Ms([.. schemaTimes])}, settings {Ms([.. settingsTimes])}";
            Assert.True(all[^1] <= Deadline.TotalMilliseconds, $"a change took {all[^1]:F0} ms to reach another node (deadline {Deadline.TotalMilliseconds} ms): {measured}");
            var median = all[all.Length / 2];
            Assert.True(median <= Goal.TotalMilliseconds, $"the median change took {median:F0} ms to reach another node (goal {Goal.TotalMilliseconds} ms): {measured}");
            Assert.All(nodes, n => Assert.DoesNotContain("Realtime fan-out failed", n.Log, StringComparison.Ordinal));
            Assert.All(nodes, n => Assert.Contains("realtime bus lost its listening connection", n.Log, StringComparison.Ordinal));
        }
        finally
        {
            await stopLoad.CancelAsync();
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    /// <summary>Adds a text field to posts on <paramref name="node"/>; returns the time of its answer.</summary>
    private static async Task<long> AddFieldAsync(ClusterNode node, string field, CancellationToken ct)
    {
        var collection = await GetJsonAsync(node.Http, "/api/collections/posts", ct);
        var fields = collection["fields"]!.AsArray();
        fields.Add(new JsonObject { ["name"] = field, ["type"] = "text" });
        var (status, body) = await SendAsync(node.Http, HttpMethod.Patch, "/api/collections/posts", new JsonObject { ["fields"] = fields.DeepClone() }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        return Stopwatch.GetTimestamp();
    }

    private static async Task<long> SetAppNameAsync(ClusterNode node, string name, CancellationToken ct)
    {
        var (status, body) = await SendAsync(node.Http, HttpMethod.Patch, "/api/settings", new { meta = new { appName = name } }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        return Stopwatch.GetTimestamp();
    }

    /// <summary>The node accepts and returns the field: a create with it answers with its value.</summary>
    private static async Task<bool> HasFieldAsync(ClusterNode node, string field, CancellationToken ct)
    {
        var (status, body) = await SendAsync(node.Http, HttpMethod.Post, "/api/collections/posts/records", new JsonObject { ["text"] = "probe", [field] = "v" }, ct);
        Assert.True(status == 200, body?.ToJsonString());
        return (string?)body?[field] == "v";
    }

    private static async Task<bool> HasAppNameAsync(ClusterNode node, string name, CancellationToken ct) =>
        (string?)(await GetJsonAsync(node.Http, "/api/settings", ct))["meta"]?["appName"] == name;

    /// <summary>Polls <paramref name="condition"/> (one request after the other) and returns the ms from <paramref name="since"/> to the answer that met it.</summary>
    private static async Task<double> ElapsedUntilAsync(long since, Func<Task<bool>> condition, string what, CancellationToken ct, TimeSpan? limit = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((limit ?? TimeSpan.FromSeconds(20)).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            ct.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"not within {(limit ?? TimeSpan.FromSeconds(20)).TotalSeconds} s: {what}");
        }
        return Stopwatch.GetElapsedTime(since).TotalMilliseconds;
    }

    private static async Task<int> TerminateListenersAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()", conn);
        cmd.Parameters.AddWithValue("LISTEN " + PaperGao.Core.Realtime.PostgresRealtimeBus.ChannelName);
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static string Ms(double[] times) => string.Join(", ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture) + " ms"));

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }
}
