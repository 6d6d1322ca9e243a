using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace PaperGao.Api.Tests.Realtime;

/// <summary>
/// A test SSE reader over a real HTTP response: parses "id:/event:/data:" frames in the background into a queue.
/// <see cref="NextAsync"/> waits for the next frame with a deadline (no sleeps); <see cref="Ended"/> completes when the
/// server ends the stream.
/// </summary>
internal sealed class SseStream : IAsyncDisposable
{
    public sealed record Frame(string Id, string Event, string Data)
    {
        public JsonNode Json => JsonNode.Parse(Data)!;
    }

    private readonly HttpResponseMessage _response;
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private SseStream(HttpResponseMessage response)
    {
        _response = response;
        _reader = Task.Run(ReadAsync);
    }

    public HttpResponseMessage Response => _response;
    public string ClientId { get; private set; } = "";
    public Task Ended => _reader;

    public static async Task<SseStream> OpenAsync(HttpClient client, CancellationToken ct, string path = "/api/realtime")
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        var s = new SseStream(response);
        var connect = await s.NextAsync(ct);
        if (connect.Event != "PB_CONNECT") throw new InvalidOperationException("first event was " + connect.Event);
        s.ClientId = connect.Json["clientId"]!.GetValue<string>();
        return s;
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? id = null, ev = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (ev is not null) _frames.Writer.TryWrite(new Frame(id ?? "", ev, data.ToString()));
                    id = ev = null;
                    data.Clear();
                    continue;
                }
                if (line.StartsWith("id:", StringComparison.Ordinal)) id = line[3..];
                else if (line.StartsWith("event:", StringComparison.Ordinal)) ev = line[6..];
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..]);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException) { }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>The next frame, failing after the timeout (default 5 s).</summary>
    public async Task<Frame> NextAsync(CancellationToken ct, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException("no SSE frame within the deadline");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the SSE stream ended");
        }
    }

    /// <summary>True when no frame is queued right now (used after a later frame proved earlier ones would have arrived).</summary>
    public bool IsEmpty => !_frames.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try { await _reader; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
