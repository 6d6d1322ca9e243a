using System.Text;

namespace PaperGao.Api.Tests.Telemetry;

/// <summary>One span out of an OTLP/HTTP protobuf export: ids as hex, its name and its string attributes.</summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Reads the spans of an ExportTraceServiceRequest (opentelemetry-proto trace.proto) with a small protobuf reader:
/// resource_spans(1) > scope_spans(2) > spans(2) > trace_id(1), span_id(2), parent_span_id(4), name(5), attributes(9).
/// </summary>
internal static class OtlpSpans
{
    public static List<OtlpSpan> Parse(byte[] body)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Fields(body, 1))
            foreach (var scopeSpans in Fields(resourceSpans, 2))
                foreach (var span in Fields(scopeSpans, 2))
                    spans.Add(ReadSpan(span));
        return spans;
    }

    private static OtlpSpan ReadSpan(ReadOnlyMemory<byte> span)
    {
        string Hex(int field) => Fields(span, field).Select(f => Convert.ToHexStringLower(f.Span)).FirstOrDefault() ?? "";
        var attributes = new Dictionary<string, string>();
        foreach (var kv in Fields(span, 9))
        {
            var key = Fields(kv, 1).Select(k => Encoding.UTF8.GetString(k.Span)).FirstOrDefault() ?? "";
            var value = Fields(kv, 2).SelectMany(v => Fields(v, 1)).Select(v => Encoding.UTF8.GetString(v.Span)).FirstOrDefault();
            if (value is not null) attributes[key] = value;
        }
        var name = Fields(span, 5).Select(n => Encoding.UTF8.GetString(n.Span)).FirstOrDefault() ?? "";
        return new OtlpSpan(Hex(1), Hex(2), Hex(4), name, attributes);
    }

    /// <summary>The length-delimited fields numbered <paramref name="number"/> of one message (other fields skipped).</summary>
    private static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int number)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        var s = message.Span;
        var i = 0;
        while (i < s.Length)
        {
            var tag = Varint(s, ref i);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0: Varint(s, ref i); break;
                case 1: i += 8; break;
                case 5: i += 4; break;
                case 2:
                    var length = (int)Varint(s, ref i);
                    if (field == number) found.Add(message.Slice(i, length));
                    i += length;
                    break;
                default: throw new FormatException($"wire type {tag & 7} at {i}");
            }
        }
        return found;
    }

    private static ulong Varint(ReadOnlySpan<byte> s, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = s[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return value;
        }
    }
}
