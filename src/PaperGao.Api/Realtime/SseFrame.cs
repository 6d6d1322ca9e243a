using System.IO.Pipelines;
using System.Text;

namespace PaperGao.Api.Realtime;

/// <summary>One SSE message exactly as protocol.md §6.1: "id:&lt;clientId&gt;\nevent:&lt;name&gt;\ndata:&lt;json&gt;\n\n", no spaces.</summary>
public static class SseFrame
{
    public static void Write(PipeWriter w, string clientId, string eventName, ReadOnlySpan<byte> data)
    {
        Append(w, "id:"u8);
        Append(w, clientId);
        Append(w, "\nevent:"u8);
        Append(w, eventName);
        Append(w, "\ndata:"u8);
        Append(w, data);
        Append(w, "\n\n"u8);
    }

    private static void Append(PipeWriter w, ReadOnlySpan<byte> bytes)
    {
        var span = w.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        w.Advance(bytes.Length);
    }

    private static void Append(PipeWriter w, string text)
    {
        var span = w.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        w.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
