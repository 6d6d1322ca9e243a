using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Tests.Configuration;
using PaperGao.Api.Tests.Durability;

namespace PaperGao.Api.Tests.Telemetry;

/// <summary>
/// Traces through the real executable: with --otlp-endpoint, a request's span reaches an OTLP/HTTP receiver (a small
/// Kestrel app standing in for a collector) under the caller's W3C trace id and with the route template; without it,
/// nothing is sent.
/// </summary>
public sealed class TracingTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "papergao-tracing-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Accepts POST /v1/traces and keeps each protobuf body.</summary>
    private static async Task<(WebApplication App, ConcurrentQueue<byte[]> Bodies, string Url)> StartReceiverAsync(CancellationToken ct)
    {
        var port = ServerProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var bodies = new ConcurrentQueue<byte[]>();
        app.MapPost("/v1/traces", async (HttpContext ctx) =>
        {
            using var ms = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
            bodies.Enqueue(ms.ToArray());
            ctx.Response.ContentType = "application/x-protobuf";
        });
        await app.StartAsync(ct);
        return (app, bodies, $"http://127.0.0.1:{port}");
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Fact]
    public async Task A_request_span_reaches_the_OTLP_endpoint_under_the_callers_trace_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var (receiver, bodies, url) = await StartReceiverAsync(ct);
        await using var _ = receiver;
        var port = ServerProcess.FreePort();
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", TempDir()],
            new Dictionary<string, string> { ["PAPERGAO_OTLP_ENDPOINT"] = url });
        var baseUrl = $"http://127.0.0.1:{port}";
        await server.WaitHealthyAsync(baseUrl, ct);

        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/api/collections/users/records");
        request.Headers.Add("traceparent", $"00-{traceId}-b7ad6b7169203331-01");
        using (var response = await client.SendAsync(request, ct)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var id = Convert.FromHexString(traceId);
        var route = "/api/collections/{collection}/records/"u8.ToArray();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        byte[]? found = null;
        while (found is null && DateTime.UtcNow < deadline)
        {
            found = bodies.FirstOrDefault(b => Contains(b, id));
            if (found is null) await Task.Delay(100, ct);
        }
        Assert.True(found is not null, $"no span with trace id {traceId} arrived in 30 s ({bodies.Count} export(s))");
        Assert.True(Contains(found, route), "the span carries the route template");
        Assert.True(Contains(found, "papergao"u8.ToArray()), "the resource names the service");
    }

    /// <summary>Waits until the exported spans hold one named <paramref name="name"/> in trace <paramref name="traceId"/>.</summary>
    private static async Task<List<OtlpSpan>> WaitForSpanAsync(ConcurrentQueue<byte[]> bodies, string traceId, string name, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var spans = bodies.ToArray().SelectMany(OtlpSpans.Parse).Where(s => s.TraceId == traceId).ToList();
            if (spans.Any(s => s.Name == name)) return spans;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"no span '{name}' in trace {traceId} within 30 s; spans: {string.Join(", ", spans.Select(s => s.Name))}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>True when <paramref name="span"/> descends from <paramref name="ancestor"/> within <paramref name="trace"/>.</summary>
    private static bool DescendsFrom(OtlpSpan span, OtlpSpan ancestor, List<OtlpSpan> trace)
    {
        for (var s = span; s is not null; s = trace.FirstOrDefault(p => p.SpanId == s.ParentId))
            if (s.ParentId == ancestor.SpanId) return true;
        return false;
    }

    [Fact]
    public async Task Function_runs_and_SQLite_statements_are_spans_of_the_request_that_ran_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var (receiver, bodies, url) = await StartReceiverAsync(ct);
        await using var _ = receiver;
        var dir = TempDir();
        var functions = Path.Combine(dir, "projects", "main", "functions");
        Directory.CreateDirectory(functions);
        await File.WriteAllTextAsync(Path.Combine(functions, "trace.pb.js"), """
            routerAdd("GET", "/api/trace-me", (e) => e.json(200, { users: $app.countRecords("users", "") }))
            onRecordCreateRequest((e) => e.next())
            """, ct);
        var port = ServerProcess.FreePort();
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", dir],
            new Dictionary<string, string> { ["PAPERGAO_OTLP_ENDPOINT"] = url });
        var baseUrl = $"http://127.0.0.1:{port}";
        await server.WaitHealthyAsync(baseUrl, ct);
        using var client = new HttpClient();

        // A function route that queries: route span > function span > SQLite statement spans.
        const string routeTrace = "1af7651916cd43dd8448eb211c80319c";
        using (var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/api/trace-me"))
        {
            request.Headers.Add("traceparent", $"00-{routeTrace}-b7ad6b7169203331-01");
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var trace = await WaitForSpanAsync(bodies, routeTrace, "function route GET /api/trace-me", ct);
        var function = trace.Single(s => s.Name == "function route GET /api/trace-me");
        Assert.Equal("route", function.Attributes["papergao.function.kind"]);
        var select = trace.Where(s => s.Name == "sqlite SELECT").ToList();
        Assert.True(select.Count > 0, "the count query is a span: " + string.Join(", ", trace.Select(s => s.Name)));
        Assert.Contains(select, s => DescendsFrom(s, function, trace));
        Assert.All(select, s => Assert.Equal("sqlite", s.Attributes["db.system.name"]));
        Assert.Contains(select, s => s.Attributes["db.query.text"].Contains("users", StringComparison.Ordinal));
        var routeServer = trace.Single(s => s.ParentId == "b7ad6b7169203331"); // the request's span, under the caller's
        Assert.True(DescendsFrom(function, routeServer, trace), "the function runs inside the request's span");

        // A record create: the request hook is a span, the INSERT runs on the writer and still belongs to the request,
        // and the password sent is in no span (statements carry placeholders, not values).
        const string createTrace = "2af7651916cd43dd8448eb211c80319c";
        using (var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/api/collections/users/records"))
        {
            request.Headers.Add("traceparent", $"00-{createTrace}-c7ad6b7169203331-01");
            request.Content = JsonContent.Create(new { email = "traced@example.com", password = "Secret-Trace-123", passwordConfirm = "Secret-Trace-123" });
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        trace = await WaitForSpanAsync(bodies, createTrace, "sqlite INSERT", ct);
        var createServer = trace.Single(s => s.ParentId == "c7ad6b7169203331");
        var hook = trace.Single(s => s.Name == "function hook onRecordCreateRequest");
        Assert.True(DescendsFrom(hook, createServer, trace), "the hook runs inside the request's span");
        var write = trace.Single(s => s.Name == "sqlite write");
        Assert.True(DescendsFrom(write, createServer, trace), "the queued write belongs to the request that queued it");
        Assert.Contains(trace, s => s.Name == "sqlite INSERT" && s.ParentId == write.SpanId);
        Assert.DoesNotContain(trace, s => s.Attributes.Values.Any(v => v.Contains("Secret-Trace-123", StringComparison.Ordinal) || v.Contains("traced@example.com", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported_and_config_print_shows_the_option()
    {
        var ct = TestContext.Current.CancellationToken;
        var (receiver, bodies, url) = await StartReceiverAsync(ct);
        await using var _ = receiver;
        var port = ServerProcess.FreePort();
        await using var server = Executable.Start(["serve", "--http", $"127.0.0.1:{port}", "--dir", TempDir()],
            new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = url });
        var baseUrl = $"http://127.0.0.1:{port}";
        await server.WaitHealthyAsync(baseUrl, ct);
        using var client = new HttpClient();
        for (var i = 0; i < 5; i++)
            using (var response = await client.GetAsync(baseUrl + "/api/health", ct)) response.EnsureSuccessStatusCode();
        // The exporter's schedule is one second; a quiet three seconds means nothing was sent.
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.Empty(bodies);

        var print = await Executable.RunAsync(["config", "print", "--otlp-endpoint", "http://collector:4318"], null, ct);
        Assert.Matches(@"otlp-endpoint\s+= http://collector:4318\s+# command line --otlp-endpoint", print.Stdout);
        var bad = await Executable.RunAsync(["serve", "--dir", TempDir(), "--otlp-endpoint", "collector:4318/v1/traces"], null, ct);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--otlp-endpoint must be an address", bad.Stderr, StringComparison.Ordinal);
    }
}
