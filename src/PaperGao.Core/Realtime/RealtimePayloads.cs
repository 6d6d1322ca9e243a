using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Realtime;

/// <summary>
/// Builds the event data {"action","record"} for each subscriber (protocol.md §6.3 step 3): a fresh copy of the
/// record, expand with the subscriber's auth, hidden fields and emails as that subscriber may see them, then the
/// fields option. Subscribers with the same auth, expand and fields share one serialized payload. Empty: send nothing
/// (the enrich hook failed for this subscriber).
/// </summary>
internal sealed class RealtimePayloads(Project project, DbConnection conn, Record record, string action, Func<JsonNode?, string, JsonNode?>? fieldsPicker)
{
    private readonly Dictionary<(string Auth, bool Superuser, string Expand, string Fields), ReadOnlyMemory<byte>> _cache = [];

    public async Task<ReadOnlyMemory<byte>> ForAsync(RealtimeClient client, Subscription s, RequestInfo req, CancellationToken ct)
    {
        var key = (client.Auth.Key, req.IsSuperuser, s.Expand, s.Fields);
        if (_cache.TryGetValue(key, out var cached)) return cached;
        var copy = record.Clone();
        await EmailAccess.MarkAsync(project, conn, null, [copy], req, ct);
        if (!string.IsNullOrWhiteSpace(s.Expand))
            await RecordExpander.ExpandAsync(project, conn, null, [copy], ExpandTree.Parse(s.Expand), req, ct);
        try
        {
            await RecordEnricher.EnrichAsync(project, copy, req);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // An enrich hook may hide what this subscriber must not see: when it fails, the subscriber gets no event.
            project.Hooks.ReportAfterCommitError(e);
            _cache[key] = ReadOnlyMemory<byte>.Empty;
            return ReadOnlyMemory<byte>.Empty;
        }
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("action", action);
            w.WritePropertyName("record");
            if (string.IsNullOrWhiteSpace(s.Fields) || fieldsPicker is null)
            {
                RecordJsonWriter.Write(w, copy, RecordJsonWriter.Viewer.From(req));
            }
            else
            {
                var inner = new ArrayBufferWriter<byte>(512);
                using (var iw = new Utf8JsonWriter(inner)) RecordJsonWriter.Write(iw, copy, RecordJsonWriter.Viewer.From(req));
                var picked = fieldsPicker(JsonNode.Parse(inner.WrittenSpan), s.Fields);
                if (picked is null) w.WriteNullValue(); else picked.WriteTo(w);
            }
            w.WriteEndObject();
        }
        ReadOnlyMemory<byte> bytes = buffer.WrittenMemory.ToArray();
        _cache[key] = bytes;
        return bytes;
    }
}
